package dev.strata.quota.service;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The metrics of SPEC section 3. Counters hold each metric in its base unit: bytes for {@link #STORAGE_GB},
 * which reads convert to GB (1024^3 bytes), since payloads carry bytes and a GB counter would round.
 */
public enum Metric {
    USERS("users", "users", true, false),
    STORAGE_GB("storage_gb", "storage", true, false),
    API_CALLS_PER_MONTH("api_calls_per_month", "API calls per month", true, true),
    ENTITIES_TOTAL("entities_total", "entities", true, false),
    CONNECTIONS_TOTAL("connections_total", "connections", true, false),
    /** A plan setting, not a counter: it has a limit and no usage. */
    EVENTS_RETENTION_DAYS("events_retention_days", "event retention (days)", false, false);

    /** Period of running totals; monthly metrics use "YYYY-MM". */
    public static final String TOTAL = "total";

    public static final long BYTES_PER_GB = 1024L * 1024 * 1024;

    private final String key;
    private final String label;
    private final boolean metered;
    private final boolean monthly;

    Metric(String key, String label, boolean metered, boolean monthly) {
        this.key = key;
        this.label = label;
        this.metered = metered;
        this.monthly = monthly;
    }

    /** The name in configuration, JSON and the database. */
    public String key() {
        return key;
    }

    /** How sentences name it. */
    public String label() {
        return label;
    }

    /** Whether usage is counted (and so can be reserved and can cross thresholds). */
    public boolean metered() {
        return metered;
    }

    /** Whether the counter restarts every calendar month (UTC). */
    public boolean monthly() {
        return monthly;
    }

    /** Configured limits of storage are GB; counters are bytes. */
    public long limitToBase(long configured) {
        return this == STORAGE_GB ? Math.multiplyExact(configured, BYTES_PER_GB) : configured;
    }

    public static Optional<Metric> of(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
    }

    public static List<Metric> meteredMetrics() {
        return Arrays.stream(values()).filter(Metric::metered).toList();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Metric::key).toList();
    }
}
