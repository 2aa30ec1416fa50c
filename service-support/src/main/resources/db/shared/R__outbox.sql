-- The transactional outbox every Strata service publishes through (service-support's OutboxRelay). Shared by
-- all services' Flyway through the location db/shared, as a repeatable migration: it runs after each service's
-- own versioned ones whatever their numbers, and is idempotent (IF NOT EXISTS; ingest-service created the same
-- table in its own early migrations).
CREATE TABLE IF NOT EXISTS outbox (
    position    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shard       smallint    NOT NULL,
    group_id    uuid        NOT NULL,
    event_id    uuid        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS outbox_shard_position ON outbox (shard, position);
