-- What a stream consumer (service-support's StreamConsumer: quota-service, metrics-service) keeps beside its
-- effects. A repeatable migration in the location db/stream, run after the service's versioned ones, idempotent: a
-- versioned migration cannot refer to these tables (a service's repeatable whose description sorts after
-- 'stream consumer' can).

-- Exactly-once bookkeeping (ConsumerLog.markApplied): the ids of the events whose effect is stored, written in the
-- same transaction as the effect, so redelivery changes nothing. group_id is the event's group where the consumer
-- records it (metrics-service, whose reads wait for a group's event); quota-service leaves it null.
CREATE TABLE IF NOT EXISTS applied_events (
    event_id    text        PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    group_id    uuid
);

-- Records the consumer can never apply (not an event, a payload its type does not allow, a value no counter
-- holds, too large): set aside here with their reason and full bytes, never dropped, and the consumer goes on.
-- An admin re-applies one once its cause is fixed (reapplied_at).
CREATE TABLE IF NOT EXISTS rejected_events (
    topic            text        NOT NULL,
    kafka_partition  integer     NOT NULL,
    kafka_offset     bigint      NOT NULL,
    event_id         text,
    reason           text        NOT NULL,
    payload          text,
    rejected_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
);
ALTER TABLE rejected_events
    ADD COLUMN IF NOT EXISTS kind         text,
    ADD COLUMN IF NOT EXISTS record_key   text,
    ADD COLUMN IF NOT EXISTS record       bytea,
    ADD COLUMN IF NOT EXISTS reapplied_at timestamptz;
CREATE INDEX IF NOT EXISTS rejected_events_open ON rejected_events (rejected_at) WHERE reapplied_at IS NULL;

-- The next offset to apply on each partition, written in the transaction that applies a batch: the consumer
-- seeks here when it is assigned a partition, so exactly-once does not depend on Kafka keeping the group's
-- committed offsets (those are a hint for operators' tools only).
CREATE TABLE IF NOT EXISTS stream_positions (
    topic            text        NOT NULL,
    kafka_partition  integer     NOT NULL,
    next_offset      bigint      NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, kafka_partition)
);
