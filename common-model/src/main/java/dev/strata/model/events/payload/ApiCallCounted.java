package dev.strata.model.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import dev.strata.model.events.InvalidEventException;
import java.io.IOException;
import java.time.Instant;

/**
 * {@code data} of {@code api_call}, in either of its two forms: service-support's meter writes the calls of one
 * window ({@code count}, {@code service}, {@code windowStart}, {@code windowEnd}); a service logging calls through
 * ingest's {@code events:batch} writes an activity entry whose {@code metadata.count} is optional. Both consumers
 * count {@link #calls()}.
 *
 * @param metadata the activity entry's metadata, or {@code null} in the meter's form
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiCallCounted(
        @JsonDeserialize(using = WholeNumber.class) Long count,
        String service,
        Instant windowStart,
        Instant windowEnd,
        JsonNode metadata) {

    public ApiCallCounted {
        if (count != null && count < 0) {
            throw new InvalidEventException(
                    "data", "an api_call count must be a whole number from 0 to " + Long.MAX_VALUE);
        }
        JsonNode metadataCount = metadata == null ? null : metadata.get("count");
        if (metadataCount != null
                && !metadataCount.isNull()
                && (!metadataCount.isIntegralNumber()
                        || !metadataCount.canConvertToLong()
                        || metadataCount.asLong() < 0)) {
            throw new InvalidEventException(
                    "data", "an api_call metadata.count must be a whole number from 0 to " + Long.MAX_VALUE);
        }
    }

    /** The meter's form. */
    public static ApiCallCounted window(long count, String service, Instant windowStart, Instant windowEnd) {
        return new ApiCallCounted(count, service, windowStart, windowEnd, null);
    }

    /** The calls this event stands for: the meter's {@code count}, else {@code metadata.count}, else one. */
    public long calls() {
        if (count != null) {
            return count;
        }
        JsonNode metadataCount = metadata == null ? null : metadata.get("count");
        return metadataCount == null || metadataCount.isNull() ? 1 : metadataCount.asLong();
    }

    /** A JSON integer as a long, nothing else: no text, no fraction, no value a long cannot hold. */
    static final class WholeNumber extends StdScalarDeserializer<Long> {

        private static final long serialVersionUID = 1L;

        WholeNumber() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() != JsonToken.VALUE_NUMBER_INT
                    || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return (Long) context.handleUnexpectedToken(
                        Long.class,
                        json.currentToken(),
                        json,
                        "an api_call count must be a whole number from 0 to %d",
                        Long.MAX_VALUE);
            }
            return json.getLongValue();
        }
    }
}
