package dev.strata.quota.service;

/**
 * A refused reservation. Not a {@code ProblemException}: its problem carries {@code upgrade: null} when no plan
 * is bigger, and the shared problem record cannot hold null members, so the API renders this one itself.
 *
 * <p>Values are in the metric's base unit (bytes for storage_gb), like the reservation's amount.
 */
public class QuotaExceededException extends RuntimeException {

    private final transient Metric metric;
    private final long current;
    private final long reserved;
    private final long limit;
    private final long requested;
    private final String upgrade;

    public QuotaExceededException(
            Metric metric, long current, long reserved, long limit, long requested, String upgrade) {
        super(null, null, false, false);
        this.metric = metric;
        this.current = current;
        this.reserved = reserved;
        this.limit = limit;
        this.requested = requested;
        this.upgrade = upgrade;
    }

    public Metric metric() {
        return metric;
    }

    public long current() {
        return current;
    }

    public long reserved() {
        return reserved;
    }

    public long limit() {
        return limit;
    }

    public long requested() {
        return requested;
    }

    public String upgrade() {
        return upgrade;
    }

    public String detail() {
        String unit = metric == Metric.STORAGE_GB ? " bytes" : "";
        return "Reserving " + requested + unit + " of " + metric.key() + " would exceed the limit of " + limit + unit
                + " (" + current + " used, " + reserved + " reserved, " + Math.max(0, limit - current - reserved)
                + " available).";
    }
}
