-- Revenue is summed per currency (metadata.currency of revenue_generated), never across currencies: reads convert
-- the sums to the reporting currency at configured rates (strata.metrics.revenue.*) and show the exact sums beside
-- them. The sums that added amounts of different currencies go. A database that held them starts these tables
-- empty: POST /admin/projections/rebuild fills them from the stream (README, "Revenue").

-- All-time revenue of a group per currency (avgRevenuePerUser).
CREATE TABLE group_revenue (
    group_id  uuid    NOT NULL,
    currency  text    NOT NULL,
    revenue   numeric NOT NULL,
    PRIMARY KEY (group_id, currency)
);

-- Revenue of a group per calendar month (UTC, by the time the event happened) and currency (revenueThisMonth).
CREATE TABLE group_revenue_monthly (
    group_id  uuid    NOT NULL,
    month     date    NOT NULL,
    currency  text    NOT NULL,
    revenue   numeric NOT NULL,
    PRIMARY KEY (group_id, month, currency)
);

-- All-time revenue of a thing as actor per currency (a creator's totalRevenue).
CREATE TABLE thing_revenue (
    group_id  uuid    NOT NULL,
    thing_id  uuid    NOT NULL,
    currency  text    NOT NULL,
    revenue   numeric NOT NULL,
    PRIMARY KEY (group_id, thing_id, currency)
);

ALTER TABLE group_totals DROP COLUMN revenue;
ALTER TABLE group_daily DROP COLUMN revenue;
ALTER TABLE thing_activity DROP COLUMN revenue;
