-- Quota's additions to the stream consumer's tables (service-support, db/stream/R__stream_consumer.sql). Flyway
-- runs repeatable migrations after the versioned ones, in the order of their descriptions: 'stream consumer quota'
-- comes after 'stream consumer', so applied_events exists here. Idempotent.

-- The retention job removes old ids by age (AppliedEventStore).
CREATE INDEX IF NOT EXISTS applied_events_applied_at ON applied_events (applied_at);

-- A rebuild's copy of applied_events, beside the other rebuild_* tables (V5__rebuild_staging.sql).
CREATE UNLOGGED TABLE IF NOT EXISTS rebuild_applied_events (LIKE applied_events INCLUDING ALL);
