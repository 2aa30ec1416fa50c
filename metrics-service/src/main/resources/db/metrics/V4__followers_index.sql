-- Top creators (GET /groups/{g}/metrics/creators) rank a group's people by followers, then events, then id. The
-- followers are thing_connections' inbound 'following' rows; this index lists them most followed first, so a ranking
-- reads its first rows (and their ties) instead of every person of the group. Partial, so the counters of the other
-- rows (most of the table) are not indexed and their updates stay HOT.

CREATE INDEX thing_connections_followers ON thing_connections (group_id, connections DESC, thing_id)
    WHERE direction = 'inbound' AND relationship_type = 'following';

-- Rebuilds create their shadow tables with this function: it now makes the index too.
CREATE OR REPLACE FUNCTION create_projection_tables(prefix text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Exactly-once bookkeeping: ids of applied events, and the group each belongs to (read-your-writes checks).
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I (
        event_id    text        PRIMARY KEY,
        applied_at  timestamptz NOT NULL DEFAULT now(),
        group_id    uuid)', prefix || 'applied_events');

    -- Freshness: the last event applied for each group, when it was published and when it was applied.
    EXECUTE format('CREATE TABLE %I (
        group_id      uuid        PRIMARY KEY,
        event_id      text        NOT NULL,
        event_type    text        NOT NULL,
        published_at  timestamptz,
        applied_at    timestamptz NOT NULL)', prefix || 'group_positions');

    EXECUTE format('CREATE TABLE %I (
        group_id          uuid        NOT NULL,
        id                uuid        NOT NULL,
        type              text        NOT NULL,
        name              text        NOT NULL,
        status            text        NOT NULL,
        properties        jsonb       NOT NULL,
        properties_bytes  integer     NOT NULL,
        created_at        timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL,
        connection_count  bigint      NOT NULL DEFAULT 0,
        PRIMARY KEY (group_id, id))', prefix || 'things');
    -- Top content by engagement: per type, the most connected first.
    EXECUTE format('CREATE INDEX %I ON %I (group_id, type, connection_count DESC, id)',
        prefix || 'things_engagement', prefix || 'things');

    EXECUTE format('CREATE TABLE %I (
        group_id           uuid        NOT NULL,
        id                 uuid        NOT NULL,
        from_id            uuid        NOT NULL,
        from_type          text        NOT NULL,
        to_id              uuid        NOT NULL,
        to_type            text        NOT NULL,
        relationship_type  text        NOT NULL,
        metadata           jsonb,
        strength           double precision,
        valid_from         timestamptz,
        valid_to           timestamptz,
        created_at         timestamptz NOT NULL,
        PRIMARY KEY (group_id, id))', prefix || 'connections');
    -- Keyset pages newest first, in each direction, with and without a relationship type.
    EXECUTE format('CREATE INDEX %I ON %I (group_id, from_id, created_at DESC, id DESC)',
        prefix || 'connections_outbound', prefix || 'connections');
    EXECUTE format('CREATE INDEX %I ON %I (group_id, to_id, created_at DESC, id DESC)',
        prefix || 'connections_inbound', prefix || 'connections');
    EXECUTE format('CREATE INDEX %I ON %I (group_id, from_id, relationship_type, created_at DESC, id DESC)',
        prefix || 'connections_outbound_type', prefix || 'connections');
    EXECUTE format('CREATE INDEX %I ON %I (group_id, to_id, relationship_type, created_at DESC, id DESC)',
        prefix || 'connections_inbound_type', prefix || 'connections');

    EXECUTE format('CREATE TABLE %I (
        group_id              uuid        NOT NULL,
        id                    uuid        NOT NULL,
        source_thing_id       uuid        NOT NULL,
        kind                  text        NOT NULL,
        text                  text        NOT NULL,
        text_bytes            integer     NOT NULL,
        embedding_dimensions  integer     NOT NULL,
        created_at            timestamptz NOT NULL,
        PRIMARY KEY (group_id, id))', prefix || 'knowledge');
    EXECUTE format('CREATE INDEX %I ON %I (group_id, source_thing_id, created_at, id)',
        prefix || 'knowledge_source', prefix || 'knowledge');

    -- The activity feed: activity events of the last strata.metrics.recent-window only (pruned on a schedule).
    EXECUTE format('CREATE TABLE %I (
        group_id     uuid        NOT NULL,
        event_id     text        NOT NULL,
        type         text        NOT NULL,
        actor_id     uuid,
        target_id    uuid,
        occurred_at  timestamptz NOT NULL,
        metadata     jsonb,
        recorded_at  timestamptz,
        PRIMARY KEY (group_id, event_id))', prefix || 'recent_events');
    EXECUTE format('CREATE INDEX %I ON %I (group_id, actor_id, occurred_at DESC, event_id DESC)
        WHERE actor_id IS NOT NULL', prefix || 'recent_events_actor', prefix || 'recent_events');
    EXECUTE format('CREATE INDEX %I ON %I (group_id, target_id, occurred_at DESC, event_id DESC)
        WHERE target_id IS NOT NULL', prefix || 'recent_events_target', prefix || 'recent_events');
    EXECUTE format('CREATE INDEX %I ON %I (occurred_at)', prefix || 'recent_events_age', prefix || 'recent_events');

    -- All-time totals of a group. Archival never touches them.
    EXECUTE format('CREATE TABLE %I (
        group_id          uuid        PRIMARY KEY,
        things            bigint      NOT NULL,
        connections       bigint      NOT NULL,
        knowledge_items   bigint      NOT NULL,
        properties_bytes  bigint      NOT NULL,
        knowledge_bytes   bigint      NOT NULL,
        events            bigint      NOT NULL,
        revenue           numeric     NOT NULL,
        last_event_at     timestamptz)', prefix || 'group_totals');

    -- Things and connection ends per thing type: people-like and content-like sums are read through the ontology.
    EXECUTE format('CREATE TABLE %I (
        group_id         uuid   NOT NULL,
        thing_type       text   NOT NULL,
        things           bigint NOT NULL,
        connection_ends  bigint NOT NULL,
        PRIMARY KEY (group_id, thing_type))', prefix || 'group_thing_types');

    -- Activity events and revenue per UTC day and event type (by the time the event happened).
    EXECUTE format('CREATE TABLE %I (
        group_id    uuid    NOT NULL,
        day         date    NOT NULL,
        event_type  text    NOT NULL,
        events      bigint  NOT NULL,
        revenue     numeric NOT NULL,
        PRIMARY KEY (group_id, day, event_type))', prefix || 'group_daily');

    -- Per thing: events as actor, events it takes part in (actor or target), revenue as actor, last seen as actor.
    EXECUTE format('CREATE TABLE %I (
        group_id          uuid        NOT NULL,
        thing_id          uuid        NOT NULL,
        thing_type        text,
        events_as_actor   bigint      NOT NULL,
        events_involving  bigint      NOT NULL,
        revenue           numeric     NOT NULL,
        last_active_at    timestamptz,
        PRIMARY KEY (group_id, thing_id))', prefix || 'thing_activity');

    -- Per day and thing type: the things whose latest event as actor happened that day. Recently active people
    -- are a sum over the window's days, whatever the number of people; a thing moves from day to day as it acts.
    EXECUTE format('CREATE TABLE %I (
        group_id    uuid   NOT NULL,
        day         date   NOT NULL,
        thing_type  text   NOT NULL,
        things      bigint NOT NULL,
        PRIMARY KEY (group_id, day, thing_type))', prefix || 'group_last_active');

    EXECUTE format('CREATE TABLE %I (
        group_id    uuid   NOT NULL,
        actor_id    uuid   NOT NULL,
        event_type  text   NOT NULL,
        events      bigint NOT NULL,
        PRIMARY KEY (group_id, actor_id, event_type))', prefix || 'actor_event_types');

    -- Connection counts per thing, direction and relationship type (followers, content, totals).
    EXECUTE format('CREATE TABLE %I (
        group_id           uuid   NOT NULL,
        thing_id           uuid   NOT NULL,
        direction          text   NOT NULL,
        relationship_type  text   NOT NULL,
        connections        bigint NOT NULL,
        PRIMARY KEY (group_id, thing_id, direction, relationship_type))', prefix || 'thing_connections');
    -- People ranked by followers (top creators): the inbound following rows, most followed first.
    EXECUTE format('CREATE INDEX %I ON %I (group_id, connections DESC, thing_id)
        WHERE direction = ''inbound'' AND relationship_type = ''following''',
        prefix || 'thing_connections_followers', prefix || 'thing_connections');

    EXECUTE format('CREATE TABLE %I (
        group_id  uuid   NOT NULL,
        month     date   NOT NULL,
        calls     bigint NOT NULL,
        PRIMARY KEY (group_id, month))', prefix || 'api_calls_monthly');
END
$$;
