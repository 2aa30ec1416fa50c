-- Things, connections, knowledge and the event log of every group, and the outbox that relays events to Kafka.
-- Ids are UUIDv7 (time-ordered) so that inserts append to the primary-key index and ids double as cursors.

CREATE TABLE things (
    id                uuid        PRIMARY KEY,
    group_id          uuid        NOT NULL REFERENCES groups (id),
    type              text        NOT NULL,
    name              text        NOT NULL,
    properties        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    properties_bytes  integer     NOT NULL,
    status            text        NOT NULL CHECK (status IN ('draft', 'active', 'published', 'archived')),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX things_group_id ON things (group_id, id);
CREATE INDEX things_group_type ON things (group_id, type, id);

CREATE TABLE connections (
    id                 uuid        PRIMARY KEY,
    group_id           uuid        NOT NULL REFERENCES groups (id),
    from_thing_id      uuid        NOT NULL REFERENCES things (id),
    to_thing_id        uuid        NOT NULL REFERENCES things (id),
    relationship_type  text        NOT NULL,
    metadata           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    strength           double precision CHECK (strength BETWEEN 0 AND 1),
    valid_from         timestamptz,
    valid_to           timestamptz,
    created_at         timestamptz NOT NULL,
    -- At most one connection per (from, to, type): concurrent batches cannot create a second copy.
    CONSTRAINT connections_unique UNIQUE (group_id, from_thing_id, to_thing_id, relationship_type)
);
CREATE INDEX connections_to ON connections (group_id, to_thing_id);
CREATE INDEX connections_group_id ON connections (group_id, id);

CREATE TABLE knowledge (
    id                uuid        PRIMARY KEY,
    group_id          uuid        NOT NULL REFERENCES groups (id),
    source_thing_id   uuid        NOT NULL REFERENCES things (id),
    kind              text        NOT NULL CHECK (kind IN ('label', 'chunk')),
    text              text        NOT NULL,
    text_bytes        integer     NOT NULL,
    embedding         real[],
    created_at        timestamptz NOT NULL
);
CREATE INDEX knowledge_source ON knowledge (group_id, source_thing_id);

-- The activity log: the system of record for events while they are hot (archival moves older ones to S3).
-- Client-supplied ids make event writes idempotent.
CREATE TABLE events (
    id           uuid        PRIMARY KEY,
    group_id     uuid        NOT NULL,
    type         text        NOT NULL,
    actor_id     uuid,
    target_id    uuid,
    "timestamp"  timestamptz NOT NULL,
    metadata     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX events_group_time ON events (group_id, "timestamp", id);
CREATE INDEX events_time ON events ("timestamp", id);

-- Outbox: rows written in the same transaction as the data; the relay publishes them in position order.
-- shard = hash of the group, so relays on several replicas split the work without reordering a group.
CREATE TABLE outbox (
    position      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shard         smallint    NOT NULL,
    group_id      uuid        NOT NULL,
    event_id      uuid        NOT NULL,
    payload       text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (shard, position) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Idempotency-Key: the first answer to a batch is stored with the batch's writes, in the same transaction.
CREATE TABLE idempotency_keys (
    group_id      uuid        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    status        integer     NOT NULL,
    response      text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, key)
);
