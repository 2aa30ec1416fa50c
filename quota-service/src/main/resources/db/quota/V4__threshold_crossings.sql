-- One row per crossing of 80, 95 or 100 % of a metric's limit in a period: the unique key is what makes the
-- quota_threshold_crossed event happen once, whatever is redelivered.
CREATE TABLE threshold_crossings (
    group_id     uuid        NOT NULL,
    metric       text        NOT NULL,
    period       text        NOT NULL,
    threshold    smallint    NOT NULL CHECK (threshold IN (80, 95, 100)),
    current      bigint      NOT NULL,
    limit_value  bigint      NOT NULL,
    event_id     uuid        NOT NULL,
    crossed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, metric, period, threshold)
);

-- The events themselves go into the platform's shared outbox (service-support, migration db/shared/V1000), in the
-- same transaction as the crossing.
