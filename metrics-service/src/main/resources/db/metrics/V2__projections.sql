-- The read-side projections. Their DDL lives in one function, create_projection_tables(prefix), so that a
-- rebuild can create an identical set of shadow tables ('shadow_things', ...), fill them by replaying the topic
-- while reads use the live set, and swap them in with swap_projection_tables(prefix) in one transaction.
-- Every index is named <prefix><name>, so a swap can restore the canonical names. A later migration that changes
-- a projection table must alter the live table AND replace create_projection_tables.
--
-- Counts are rollups kept in step with the stream: no read scans events. Thing types are stored raw; whether a
-- type is people-like or content-like is decided at read time from the ontology.

ALTER TABLE applied_events ADD COLUMN group_id uuid;

CREATE FUNCTION projection_table_names() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['applied_events', 'group_positions', 'things', 'connections', 'knowledge', 'recent_events',
                 'group_totals', 'group_thing_types', 'group_daily', 'thing_activity', 'actor_event_types',
                 'thing_connections', 'api_calls_monthly']
$$;

CREATE FUNCTION create_projection_tables(prefix text) RETURNS void LANGUAGE plpgsql AS $$
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
    EXECUTE format('CREATE INDEX %I ON %I (group_id, last_active_at) WHERE last_active_at IS NOT NULL',
        prefix || 'thing_activity_recent', prefix || 'thing_activity');

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

    EXECUTE format('CREATE TABLE %I (
        group_id  uuid   NOT NULL,
        month     date   NOT NULL,
        calls     bigint NOT NULL,
        PRIMARY KEY (group_id, month))', prefix || 'api_calls_monthly');
END
$$;

CREATE FUNCTION drop_projection_tables(prefix text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t text;
BEGIN
    IF prefix = '' THEN
        RAISE EXCEPTION 'refusing to drop the live projection tables';
    END IF;
    FOREACH t IN ARRAY projection_table_names() LOOP
        IF to_regclass(quote_ident(prefix || t)) IS NOT NULL THEN
            EXECUTE format('DROP TABLE %I', prefix || t);
        END IF;
    END LOOP;
END
$$;

-- Replaces every live projection table by its shadow copy, restoring the canonical table and index names. Run in
-- one transaction: readers see either the old set or the new one. Where the shadow reached the same position as
-- the live set for a group, the live set's publish and apply times are kept, so freshness does not report the
-- replay's delay as lag.
CREATE FUNCTION swap_projection_tables(prefix text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t text;
    idx record;
BEGIN
    IF prefix = '' THEN
        RAISE EXCEPTION 'a swap needs the prefix of the shadow tables';
    END IF;
    EXECUTE format('UPDATE %I s SET published_at = l.published_at, applied_at = l.applied_at
                    FROM group_positions l WHERE s.group_id = l.group_id AND s.event_id = l.event_id',
                   prefix || 'group_positions');
    FOREACH t IN ARRAY projection_table_names() LOOP
        EXECUTE format('DROP TABLE %I', t);
        EXECUTE format('ALTER TABLE %I RENAME TO %I', prefix || t, t);
        FOR idx IN SELECT indexname FROM pg_indexes
                   WHERE schemaname = current_schema() AND tablename = t
                     AND left(indexname, length(prefix)) = prefix LOOP
            EXECUTE format('ALTER INDEX %I RENAME TO %I', idx.indexname, substr(idx.indexname, length(prefix) + 1));
        END LOOP;
    END LOOP;
END
$$;

SELECT create_projection_tables('');

-- Records that could not be read as events: kept with their place in the topic instead of stopping the consumer.
-- Outside the projection set: a rebuild that meets them again records nothing twice.
CREATE TABLE rejected_events (
    topic            text        NOT NULL,
    kafka_partition  integer     NOT NULL,
    kafka_offset     bigint      NOT NULL,
    event_id         text,
    reason           text        NOT NULL,
    payload          text,
    rejected_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
);

-- Rebuild runs, for progress reports that survive a restart.
CREATE TABLE projection_rebuilds (
    id              uuid        PRIMARY KEY,
    status          text        NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    events_read     bigint      NOT NULL DEFAULT 0,
    events_applied  bigint      NOT NULL DEFAULT 0,
    error           text
);
CREATE INDEX projection_rebuilds_started ON projection_rebuilds (started_at DESC);
