-- A reservation whose write committed holds until its events are applied, however long the consumer lags
-- (SPEC section 7). New states: 'committed' (the writer confirmed its write committed, or ingest said so when
-- asked: held, no expiry, ends only when settled) and 'expired' (stored once ingest said the write never
-- committed, or, for a reservation without a reference, once its TTL passed). An 'open' reservation past
-- expires_at still holds until it is resolved: expires_at is when quota-service starts asking.
ALTER TABLE reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE reservations ADD CONSTRAINT reservations_status_check
    CHECK (status IN ('open', 'committed', 'settled', 'released', 'expired'));
ALTER TABLE reservations ADD COLUMN committed_at timestamptz;

DROP INDEX reservations_open;
DROP INDEX reservations_reference;
DROP INDEX reservations_closed;
-- What a (group, metric) holds: summed under the counter's lock by every reservation.
CREATE INDEX reservations_holding ON reservations (group_id, metric) WHERE status IN ('open', 'committed');
-- Settlement and confirmation find a write's reservations by its reference.
CREATE INDEX reservations_reference ON reservations (group_id, reference) WHERE status IN ('open', 'committed');
-- The resolver's queue: unconfirmed reservations by the time it should ask about them.
CREATE INDEX reservations_due ON reservations (expires_at) WHERE status = 'open';
CREATE INDEX reservations_closed ON reservations (closed_at) WHERE status IN ('settled', 'released', 'expired');
