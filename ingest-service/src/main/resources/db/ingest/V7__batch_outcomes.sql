-- Whether a write that reserved quota committed, kept where the truth is: in the write's own transaction. A write
-- that reserved quota inserts ('committed') here with its batch id (the reservations' reference) before its rows;
-- quota-service, finding a reservation unconfirmed past its TTL, asks ingest, which inserts ('abandoned') unless
-- the write's row is there. The primary key makes the two exclusive: an abandoning insert waits for a write still
-- in flight and then yields to its commit, and a write whose batch id was abandoned fails at its insert, so
-- "never committed" is final once said. Rows are kept, like idempotency keys: quota-service may ask about a write
-- long after it (for as long as it could not reach ingest).
CREATE TABLE batch_outcomes (
    batch_id     uuid        PRIMARY KEY,
    group_id     uuid        NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('committed', 'abandoned')),
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
