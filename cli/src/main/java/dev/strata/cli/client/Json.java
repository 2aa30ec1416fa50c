package dev.strata.cli.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * How the CLI reads the services' JSON: decimals as {@link java.math.BigDecimal}, so that an amount or a size is
 * printed as the service wrote it ({@code 12.50}, {@code 0.000012}), never rounded nor in {@code 1.2E-5} notation.
 */
public final class Json {

    private Json() {}

    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    }

    /** A scalar as text ({@code null} for JSON null or a missing member). */
    public static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber() && !value.isIntegralNumber()) {
            return value.decimalValue().toPlainString();
        }
        return value.asText();
    }
}
