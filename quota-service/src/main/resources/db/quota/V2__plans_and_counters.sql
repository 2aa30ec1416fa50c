-- The plan of each group as the stream reports it (group_created, group_plan_changed). plan_at is the time of
-- the event that set it, so an older event arriving late (a replay, a redelivery) never undoes a newer one.
CREATE TABLE groups (
    group_id    uuid        PRIMARY KEY,
    name        text,
    plan        text        NOT NULL,
    plan_at     timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Per-group limits that replace the plan's (admin endpoint). -1 means unlimited.
CREATE TABLE overrides (
    group_id     uuid        NOT NULL,
    metric       text        NOT NULL,
    limit_value  bigint      NOT NULL CHECK (limit_value >= -1),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, metric)
);

-- Usage counters in the metric's base unit (bytes for storage_gb). period is 'total' for running totals and
-- 'YYYY-MM' (UTC) for api_calls_per_month: a new month is a new row that starts at zero, so no reset job races
-- the consumer.
CREATE TABLE counters (
    group_id    uuid        NOT NULL,
    metric      text        NOT NULL,
    period      text        NOT NULL,
    value       bigint      NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, metric, period)
);

-- Daily history for charts: the change of each metric per UTC day of the events' time.
CREATE TABLE usage_daily (
    group_id    uuid    NOT NULL,
    metric      text    NOT NULL,
    day         date    NOT NULL,
    delta       bigint  NOT NULL,
    PRIMARY KEY (group_id, metric, day)
);
CREATE INDEX usage_daily_day ON usage_daily (day);
