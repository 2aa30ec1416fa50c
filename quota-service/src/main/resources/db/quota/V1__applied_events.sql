-- Exactly-once bookkeeping: the ids of the events whose effect is stored, written in the same
-- transaction as the effect, so redelivery changes nothing.
CREATE TABLE applied_events (
    event_id    text        PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
