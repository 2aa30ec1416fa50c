-- Recently active people from a rollup instead of counting thing_activity rows: group_last_active holds, per day
-- and thing type, the things whose latest event as actor happened that day (filled here from thing_activity, then
-- kept by the consumer). Recently active people are a sum over the window's days, whatever the number of people;
-- a thing moves from day to day as it acts. The index on thing_activity.last_active_at is not read; without it,
-- the per-batch updates of thing_activity can be HOT updates.

CREATE TABLE group_last_active (
    group_id    uuid   NOT NULL,
    day         date   NOT NULL,
    thing_type  text   NOT NULL,
    things      bigint NOT NULL,
    PRIMARY KEY (group_id, day, thing_type)
);

INSERT INTO group_last_active (group_id, day, thing_type, things)
SELECT group_id, (last_active_at AT TIME ZONE 'UTC')::date, thing_type, count(*)
FROM thing_activity
WHERE last_active_at IS NOT NULL AND thing_type IS NOT NULL
GROUP BY 1, 2, 3;

DROP INDEX thing_activity_recent;
