-- The transactional outbox every Strata service publishes through (service-support's OutboxRelay). Shared by
-- all services' Flyway through the location db/shared, as a repeatable migration: it runs after each service's
-- own versioned ones whatever their numbers, again whenever this file changes, and is idempotent (IF NOT EXISTS;
-- ingest-service created the same outbox table in its own early migrations, V2 and V4).
CREATE TABLE IF NOT EXISTS outbox (
    position    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shard       smallint    NOT NULL,
    group_id    uuid        NOT NULL,
    event_id    uuid        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS outbox_shard_position ON outbox (shard, position);
-- A queue: every row is deleted minutes after its insert. Where autovacuum runs, have it visit the table after a
-- fixed number of dead rows rather than a fraction of a table that is nearly always empty; the relay also
-- vacuums it itself (OutboxRelay), for databases that run without autovacuum.
ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
                        autovacuum_vacuum_cost_delay = 0);
-- Rows the broker refused for good (RecordTooLargeException, InvalidRecordException, SerializationException):
-- the relay moves each here with its reason in the transaction that settles its batch, so that one event Kafka
-- will never take does not hold back its shard. They stay until an operator deals with them (service-support's
-- OutboxRelay; README, "Outbox"): position, shard, group, event and payload as they were in the outbox.
CREATE TABLE IF NOT EXISTS outbox_dead (
    position    bigint      PRIMARY KEY,
    shard       smallint    NOT NULL,
    group_id    uuid        NOT NULL,
    event_id    uuid        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL,
    reason      text        NOT NULL,
    dead_at     timestamptz NOT NULL DEFAULT now()
);
