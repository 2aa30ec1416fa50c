-- Reservations hold quota for writes that are on their way (ingest reserves before a batch). An open,
-- unexpired reservation counts against the limit until its batch_import event settles it, it is released,
-- or it expires. Expiry needs no job: reads compare expires_at with the current time.
CREATE TABLE reservations (
    id          uuid        PRIMARY KEY,
    group_id    uuid        NOT NULL,
    metric      text        NOT NULL,
    amount      bigint      NOT NULL CHECK (amount > 0),
    reference   text,
    status      text        NOT NULL CHECK (status IN ('open', 'settled', 'released')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    closed_at   timestamptz
);
CREATE INDEX reservations_open ON reservations (group_id, metric, expires_at) WHERE status = 'open';
CREATE INDEX reservations_reference ON reservations (group_id, reference) WHERE status = 'open';
CREATE INDEX reservations_closed ON reservations (closed_at) WHERE status <> 'open';
