package dev.strata.ingest.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a write would add to the group's metered usage, per quota metric (a count, or bytes for storage_gb).
 * Zero amounts are left out: nothing to reserve.
 */
public final class QuotaDemand {

    public static final String USERS = "users";
    public static final String ENTITIES = "entities_total";
    public static final String CONNECTIONS = "connections_total";
    public static final String STORAGE = "storage_gb";

    private final Map<String, Long> amounts = new LinkedHashMap<>();

    public static QuotaDemand none() {
        return new QuotaDemand();
    }

    public QuotaDemand add(String metric, long amount) {
        if (amount > 0) {
            amounts.merge(metric, amount, Long::sum);
        }
        return this;
    }

    public Map<String, Long> amounts() {
        return Map.copyOf(amounts);
    }

    public boolean isEmpty() {
        return amounts.isEmpty();
    }

    /** Metrics in a fixed order (by name), so the first refusal reported is always the same one. */
    Iterable<Map.Entry<String, Long>> ordered() {
        return new java.util.TreeMap<>(amounts).entrySet();
    }
}
