-- Top creators (GET /groups/{g}/metrics/creators) rank a group's people by followers, then events, then id. The
-- followers are thing_connections' inbound 'following' rows; this index lists them most followed first, so a ranking
-- reads its first rows (and their ties) instead of every person of the group. Partial, so the counters of the other
-- rows (most of the table) are not indexed and their updates stay HOT.

CREATE INDEX thing_connections_followers ON thing_connections (group_id, connections DESC, thing_id)
    WHERE direction = 'inbound' AND relationship_type = 'following';
