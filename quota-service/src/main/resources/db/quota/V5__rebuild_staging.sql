-- A rebuild replays the topic into these tables, then swaps their contents into the live ones in one
-- transaction. Unlogged: after a crash they are empty, and a rebuild starts by emptying them anyway.
CREATE UNLOGGED TABLE rebuild_groups (LIKE groups INCLUDING ALL);
CREATE UNLOGGED TABLE rebuild_counters (LIKE counters INCLUDING ALL);
CREATE UNLOGGED TABLE rebuild_usage_daily (LIKE usage_daily INCLUDING ALL);
CREATE UNLOGGED TABLE rebuild_applied_events (LIKE applied_events INCLUDING ALL);
