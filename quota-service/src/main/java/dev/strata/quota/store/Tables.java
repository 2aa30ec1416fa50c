package dev.strata.quota.store;

/**
 * The tables a batch of events is applied to: the live ones, or the rebuild tables ({@code rebuild_*}) a rebuild fills before it
 * swaps them in. The names are constants of this class, never input, so building SQL with them is safe.
 */
public record Tables(String groups, String counters, String usageDaily, String appliedEvents) {

    public static final Tables LIVE = new Tables("groups", "counters", "usage_daily", "applied_events");

    public static final Tables REBUILD =
            new Tables("rebuild_groups", "rebuild_counters", "rebuild_usage_daily", "rebuild_applied_events");
}
