package dev.strata.support.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.strata.model.time.TimeRange;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Makes the services' ObjectMapper (the one REST bodies are bound with) keep values exactly or refuse them:
 * {@link JsonLimits} on every parse, no float silently truncated into an integer field ({@code 1.5} or
 * {@code 1e400} into a {@code Long}: 400), no {@code null} silently turned into 0 or false, no non-finite
 * double ({@code 1e400} into a {@code Double}), no NUL in any string
 * or field name bound to a record, and no time but RFC 3339 text within the years 0001-9999 UTC (what
 * PostgreSQL and every client can represent), no duplicate field name and nothing after the value. Integers out of
 * range of their Java type already fail in Jackson; the problem names the field ({@code ProblemMapper}). Values
 * bound as a JSON tree are not checked here: a service that stores such a tree checks its contents itself. A parser
 * that reads one value after another from a stream (ingest's batch parser) works on a copy that allows what follows
 * a value, and checks the end itself.
 */
@Singleton
public class JsonHardening implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        harden(mapper);
    }

    /** Applies the rules to a mapper; also used by tests and by code that builds a mapper of its own. */
    public static ObjectMapper harden(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(JsonLimits.CONSTRAINTS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // No scalar turns into another: "5" is not 5, 5 is not "5", "true" is not true.
        for (LogicalType number : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(number).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        for (CoercionInputShape scalar :
                List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        SimpleModule module = new SimpleModule("strata-json-hardening");
        module.addDeserializer(String.class, new NulFreeString());
        module.addKeyDeserializer(String.class, new NulFreeKey());
        module.addDeserializer(Double.class, new FiniteDouble(Double.class, null));
        module.addDeserializer(double.class, new FiniteDouble(double.class, 0.0));
        module.addDeserializer(Float.class, new FiniteFloat(Float.class, null));
        module.addDeserializer(float.class, new FiniteFloat(float.class, 0.0f));
        module.setDeserializerModifier(new YearRange());
        mapper.registerModule(module);
        return mapper;
    }

    static final class NulFreeString extends StdScalarDeserializer<String> {

        NulFreeString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw new NulCharacterException(p);
            }
            return value;
        }
    }

    static final class NulFreeKey extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (key.indexOf('\0') >= 0) {
                throw new NulCharacterException(ctxt.getParser());
            }
            return key;
        }
    }

    /** Wraps the deserializers of {@link Instant} and {@link OffsetDateTime} with the year range check. */
    static final class YearRange extends BeanDeserializerModifier {

        @Override
        public JsonDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            Class<?> type = description.getBeanClass();
            if (type == Instant.class || type == OffsetDateTime.class) {
                return new YearChecked(deserializer, type);
            }
            return deserializer;
        }
    }

    static final class YearChecked extends DelegatingDeserializer {

        private final Class<?> type;

        YearChecked(JsonDeserializer<?> delegate, Class<?> type) {
            super(delegate);
            this.type = type;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new YearChecked(delegate, type);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING
                    && p.getText().chars().anyMatch(c -> c < 0x20)) {
                // Jackson's time parsers trim control characters away: the value would be changed silently.
                throw new NulCharacterException(p);
            }
            if (p.currentToken() != null && p.currentToken().isNumeric()) {
                // Times travel as RFC 3339 text; Jackson would read 1e300 seconds as some arbitrary time.
                throw InvalidFormatException.from(p, "a number where a time is expected", p.getText(), type);
            }
            Object value = super.deserialize(p, ctxt);
            Instant instant = value instanceof OffsetDateTime time ? time.toInstant() : (Instant) value;
            if (instant != null && !TimeRange.contains(instant)) {
                throw InvalidFormatException.from(p, "time outside the years 0001-9999", p.getText(), type);
            }
            return value;
        }
    }

    static final class FiniteDouble extends NumberDeserializers.DoubleDeserializer {

        FiniteDouble(Class<Double> type, Double nullValue) {
            super(type, nullValue);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Double value = super.deserialize(p, ctxt);
            if (value != null && !Double.isFinite(value)) {
                throw InvalidFormatException.from(p, "not a finite number", p.getText(), Double.class);
            }
            return value;
        }
    }

    static final class FiniteFloat extends NumberDeserializers.FloatDeserializer {

        FiniteFloat(Class<Float> type, Float nullValue) {
            super(type, nullValue);
        }

        @Override
        public Float deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Float value = super.deserialize(p, ctxt);
            if (value != null && !Float.isFinite(value)) {
                throw InvalidFormatException.from(p, "not a finite number", p.getText(), Float.class);
            }
            return value;
        }
    }
}
