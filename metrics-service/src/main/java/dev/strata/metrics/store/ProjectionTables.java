package dev.strata.metrics.store;

/**
 * The projection tables a batch is applied to: the live set, or the rebuild set a rebuild fills before it swaps
 * it in. Names come from the two constants below, never from input, so building SQL with them is safe. Reads
 * always use the live names.
 */
public record ProjectionTables(String prefix) {

    public static final ProjectionTables LIVE = new ProjectionTables("");

    /** The prefix rebuilds pass to create_projection_tables / swap_projection_tables (R__projection_tables.sql). */
    public static final ProjectionTables REBUILD = new ProjectionTables("rebuild_");

    public boolean live() {
        return prefix.isEmpty();
    }

    public String appliedEvents() {
        return prefix + "applied_events";
    }

    public String groupPositions() {
        return prefix + "group_positions";
    }

    public String things() {
        return prefix + "things";
    }

    public String connections() {
        return prefix + "connections";
    }

    public String knowledge() {
        return prefix + "knowledge";
    }

    public String recentEvents() {
        return prefix + "recent_events";
    }

    public String groupTotals() {
        return prefix + "group_totals";
    }

    public String groupThingTypes() {
        return prefix + "group_thing_types";
    }

    public String groupDaily() {
        return prefix + "group_daily";
    }

    public String thingActivity() {
        return prefix + "thing_activity";
    }

    public String actorEventTypes() {
        return prefix + "actor_event_types";
    }

    public String thingConnections() {
        return prefix + "thing_connections";
    }

    public String apiCallsMonthly() {
        return prefix + "api_calls_monthly";
    }

    public String groupLastActive() {
        return prefix + "group_last_active";
    }

    public String groupRevenue() {
        return prefix + "group_revenue";
    }

    public String groupRevenueMonthly() {
        return prefix + "group_revenue_monthly";
    }

    public String thingRevenue() {
        return prefix + "thing_revenue";
    }
}
