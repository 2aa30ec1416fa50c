-- A rebuild replays the topic into these tables, then swaps their contents into the live ones in one
-- transaction. Unlogged: after a crash they are empty, and a rebuild starts by emptying them anyway. The copy of
-- applied_events is made in R__stream_consumer_quota.sql, after the shared table exists.
CREATE UNLOGGED TABLE rebuild_groups (LIKE groups INCLUDING ALL);
CREATE UNLOGGED TABLE rebuild_counters (LIKE counters INCLUDING ALL);
CREATE UNLOGGED TABLE rebuild_usage_daily (LIKE usage_daily INCLUDING ALL);
