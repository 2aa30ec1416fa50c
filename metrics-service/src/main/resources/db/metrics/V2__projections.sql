-- The read-side projections, kept in step with the stream: counts are rollups, no read scans events. Thing types
-- are stored raw; whether a type is people-like or content-like is decided at read time from the ontology.
--
-- These are the live tables. A rebuild fills a copy of the whole set (rebuild tables: same columns, keys and
-- indexes) while reads use the live set, then swaps it in. The functions doing that are in R__projection_tables.sql
-- and copy whatever the live tables are, so a later migration that changes a projection table alters the live table
-- only (and names a new one in projection_table_names()). applied_events, which the set includes, is the stream
-- consumer's table (service-support, db/stream/R__stream_consumer.sql).

-- Freshness: the last event applied for each group, when it was published and when it was applied.
CREATE TABLE group_positions (
    group_id      uuid        PRIMARY KEY,
    event_id      text        NOT NULL,
    event_type    text        NOT NULL,
    published_at  timestamptz,
    applied_at    timestamptz NOT NULL
);

CREATE TABLE things (
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
    PRIMARY KEY (group_id, id)
);
-- Top content by engagement: per type, the most connected first.
CREATE INDEX things_engagement ON things (group_id, type, connection_count DESC, id);

CREATE TABLE connections (
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
    PRIMARY KEY (group_id, id)
);
-- Keyset pages newest first, in each direction, with and without a relationship type.
CREATE INDEX connections_outbound ON connections (group_id, from_id, created_at DESC, id DESC);
CREATE INDEX connections_inbound ON connections (group_id, to_id, created_at DESC, id DESC);
CREATE INDEX connections_outbound_type ON connections (group_id, from_id, relationship_type, created_at DESC, id DESC);
CREATE INDEX connections_inbound_type ON connections (group_id, to_id, relationship_type, created_at DESC, id DESC);

CREATE TABLE knowledge (
    group_id              uuid        NOT NULL,
    id                    uuid        NOT NULL,
    source_thing_id       uuid        NOT NULL,
    kind                  text        NOT NULL,
    text                  text        NOT NULL,
    text_bytes            integer     NOT NULL,
    embedding_dimensions  integer     NOT NULL,
    created_at            timestamptz NOT NULL,
    PRIMARY KEY (group_id, id)
);
CREATE INDEX knowledge_source ON knowledge (group_id, source_thing_id, created_at, id);

-- The activity feed: activity events of the last strata.metrics.recent-window only (pruned on a schedule).
CREATE TABLE recent_events (
    group_id     uuid        NOT NULL,
    event_id     text        NOT NULL,
    type         text        NOT NULL,
    actor_id     uuid,
    target_id    uuid,
    occurred_at  timestamptz NOT NULL,
    metadata     jsonb,
    recorded_at  timestamptz,
    PRIMARY KEY (group_id, event_id)
);
CREATE INDEX recent_events_actor ON recent_events (group_id, actor_id, occurred_at DESC, event_id DESC)
    WHERE actor_id IS NOT NULL;
CREATE INDEX recent_events_target ON recent_events (group_id, target_id, occurred_at DESC, event_id DESC)
    WHERE target_id IS NOT NULL;
CREATE INDEX recent_events_age ON recent_events (occurred_at);

-- All-time totals of a group. Archival never touches them.
CREATE TABLE group_totals (
    group_id          uuid        PRIMARY KEY,
    things            bigint      NOT NULL,
    connections       bigint      NOT NULL,
    knowledge_items   bigint      NOT NULL,
    properties_bytes  bigint      NOT NULL,
    knowledge_bytes   bigint      NOT NULL,
    events            bigint      NOT NULL,
    revenue           numeric     NOT NULL,
    last_event_at     timestamptz
);

-- Things and connection ends per thing type: people-like and content-like sums are read through the ontology.
CREATE TABLE group_thing_types (
    group_id         uuid   NOT NULL,
    thing_type       text   NOT NULL,
    things           bigint NOT NULL,
    connection_ends  bigint NOT NULL,
    PRIMARY KEY (group_id, thing_type)
);

-- Activity events and revenue per UTC day and event type (by the time the event happened).
CREATE TABLE group_daily (
    group_id    uuid    NOT NULL,
    day         date    NOT NULL,
    event_type  text    NOT NULL,
    events      bigint  NOT NULL,
    revenue     numeric NOT NULL,
    PRIMARY KEY (group_id, day, event_type)
);

-- Per thing: events as actor, events it takes part in (actor or target), revenue as actor, last seen as actor.
CREATE TABLE thing_activity (
    group_id          uuid        NOT NULL,
    thing_id          uuid        NOT NULL,
    thing_type        text,
    events_as_actor   bigint      NOT NULL,
    events_involving  bigint      NOT NULL,
    revenue           numeric     NOT NULL,
    last_active_at    timestamptz,
    PRIMARY KEY (group_id, thing_id)
);
CREATE INDEX thing_activity_recent ON thing_activity (group_id, last_active_at) WHERE last_active_at IS NOT NULL;

CREATE TABLE actor_event_types (
    group_id    uuid   NOT NULL,
    actor_id    uuid   NOT NULL,
    event_type  text   NOT NULL,
    events      bigint NOT NULL,
    PRIMARY KEY (group_id, actor_id, event_type)
);

-- Connection counts per thing, direction and relationship type (followers, content, totals).
CREATE TABLE thing_connections (
    group_id           uuid   NOT NULL,
    thing_id           uuid   NOT NULL,
    direction          text   NOT NULL,
    relationship_type  text   NOT NULL,
    connections        bigint NOT NULL,
    PRIMARY KEY (group_id, thing_id, direction, relationship_type)
);

CREATE TABLE api_calls_monthly (
    group_id  uuid   NOT NULL,
    month     date   NOT NULL,
    calls     bigint NOT NULL,
    PRIMARY KEY (group_id, month)
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
