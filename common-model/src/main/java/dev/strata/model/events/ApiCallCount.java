package dev.strata.model.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The calls one {@code api_call} event stands for, read the same way by every consumer: the meter writes
 * {@code data.count}; a client logging calls through ingest's {@code events:batch} puts it in
 * {@code data.metadata.count} (optional: 1 without).
 */
public final class ApiCallCount {

    private ApiCallCount() {}

    /** @throws InvalidEventException if the count is there but is not a whole number from 0 to 2^63-1 */
    public static long of(JsonNode data) {
        JsonNode count = data == null ? null : data.get("count");
        if (count == null && data != null && data.path("metadata").isObject()) {
            count = data.path("metadata").get("count");
        }
        if (count == null || count.isNull()) {
            return 1;
        }
        if (!count.isIntegralNumber() || !count.canConvertToLong() || count.asLong() < 0) {
            throw new InvalidEventException(
                    "data", "an api_call count must be a whole number from 0 to " + Long.MAX_VALUE);
        }
        return count.asLong();
    }
}
