package dev.strata.quota.service;

import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Status of one metric: {@code ok} below 80 %, {@code warning} from 80 %, {@code critical} from 95 %,
 * {@code exceeded} at 100 % or more, {@code unlimited} without a limit. Decided on exact integers, so 79.99 %
 * is never "warning" because of rounding.
 */
public enum QuotaStatus {
    OK,
    WARNING,
    CRITICAL,
    EXCEEDED,
    UNLIMITED;

    /** The thresholds whose crossing is an event, in percent. */
    public static final List<Integer> THRESHOLDS = List.of(80, 95, 100);

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    /** Status of {@code current} against {@code limit} (base units; null = unlimited). */
    public static QuotaStatus of(long current, Long limit) {
        if (limit == null) {
            return UNLIMITED;
        }
        if (reached(current, limit, 100)) {
            return EXCEEDED;
        }
        if (reached(current, limit, 95)) {
            return CRITICAL;
        }
        if (reached(current, limit, 80)) {
            return WARNING;
        }
        return OK;
    }

    public boolean needsAttention() {
        return this == WARNING || this == CRITICAL || this == EXCEEDED;
    }

    /** Whether current is at least {@code percent} % of limit; a limit of 0 is always full. */
    public static boolean reached(long current, long limit, int percent) {
        return BigDecimal.valueOf(current)
                        .multiply(BigDecimal.valueOf(100))
                        .compareTo(BigDecimal.valueOf(limit).multiply(BigDecimal.valueOf(percent)))
                >= 0;
    }

    /** Percent used, rounded down to 2 decimals so it never shows a threshold the status has not reached. */
    public static Double percentUsed(long current, Long limit) {
        if (limit == null) {
            return null;
        }
        if (limit == 0) {
            return 100.0;
        }
        return BigDecimal.valueOf(current)
                .multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(limit), 2, RoundingMode.DOWN)
                .doubleValue();
    }

    /** The thresholds that a move from {@code before} to {@code after} crosses upwards. */
    public static List<Integer> crossed(long before, long after, long limit) {
        List<Integer> crossed = new ArrayList<>();
        if (limit <= 0) {
            return crossed;
        }
        for (int threshold : THRESHOLDS) {
            if (!reached(before, limit, threshold) && reached(after, limit, threshold)) {
                crossed.add(threshold);
            }
        }
        return crossed;
    }
}
