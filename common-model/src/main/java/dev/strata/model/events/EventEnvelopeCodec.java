package dev.strata.model.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.strata.model.time.Rfc3339;
import dev.strata.model.time.Rfc3339Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads and writes {@link EventEnvelope}s as CloudEvents JSON, the same way in every service.
 *
 * <p>Producers and consumers share this one configuration so an event written by one service always reads back
 * in another: times as RFC 3339 strings (never epoch numbers), trailing garbage rejected. Reading and writing go
 * through an {@link ObjectReader} and {@link ObjectWriter} fixed at class load, which are immutable and
 * thread-safe, so nobody reconfiguring {@link #mapper()} can change the wire format.
 */
public final class EventEnvelopeCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Rfc3339Module()) // the same text for instants, written and read without a formatter
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // a payload turned into a tree keeps its decimals as written: 20, not 2E+1
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private static final ObjectReader READER = MAPPER.readerFor(EventEnvelope.class);
    private static final ObjectWriter WRITER = MAPPER.writerFor(EventEnvelope.class);
    private static final ObjectWriter OUTGOING = MAPPER.writerFor(Outgoing.class);
    private static final ObjectReader TIME = MAPPER.readerFor(Instant.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // reads one attribute inside the event

    /**
     * Tolerant readers of payload records: a newer producer may add fields; what a record requires must be there.
     * Decimals inside free JSON (metadata, properties, changes) read as BigDecimal, never double: an amount of money
     * reads back with every digit and its scale ({@code 12.50}).
     */
    private static final ClassValue<ObjectReader> PAYLOAD_READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        }
    };

    /** {@link #PAYLOAD_READERS} for a payload inside the envelope being read: the envelope's attributes follow it. */
    private static final ClassValue<ObjectReader> IN_STREAM_READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return PAYLOAD_READERS.get(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
    };

    /**
     * The envelope as producers write it, with {@code data} still a plain object: serializing it directly saves
     * building a JSON tree per event, which matters at 10,000 events a batch. Same attribute names and order as
     * {@link EventEnvelope}; a test keeps the two identical on the wire.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({
        "specversion",
        "id",
        "source",
        "type",
        "time",
        "subject",
        "datacontenttype",
        "groupid",
        "schemaversion",
        "data"
    })
    private record Outgoing(
            String specversion,
            String id,
            String source,
            String type,
            Instant time,
            String subject,
            String datacontenttype,
            String groupid,
            int schemaversion,
            Object data) {}

    private EventEnvelopeCodec() {}

    /**
     * The shared mapper with the event settings, for services that build {@code data} payloads or want the
     * same date handling. It is thread-safe for use; do not reconfigure it ({@code copy()} it instead).
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(EventEnvelope envelope) {
        try {
            return WRITER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize event " + envelope.id(), e);
        }
    }

    public static String toJson(EventEnvelope envelope) {
        try {
            return WRITER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize event " + envelope.id(), e);
        }
    }

    /**
     * Writes an event straight from its payload object, without building an {@link EventEnvelope} first. The
     * result reads back with {@link #fromJson(String)} as the envelope {@link EventEnvelope#of} would build.
     */
    public static String toJson(
            String id, String source, String type, Instant time, String subject, UUID groupId, Object data) {
        EventEnvelope.of(id, source, type, time, subject, groupId, null); // same validation as the envelope
        try {
            return OUTGOING.writeValueAsString(new Outgoing(
                    EventEnvelope.SPEC_VERSION,
                    id,
                    source,
                    type,
                    time,
                    subject,
                    EventEnvelope.JSON,
                    groupId.toString(),
                    EventEnvelope.SCHEMA_VERSION,
                    data));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize event " + id, e);
        }
    }

    /**
     * The size of what {@link #toJson(String, String, String, Instant, String, UUID, Object)} writes, in UTF-8 (as
     * it goes to Kafka), counted as it is written: neither the text nor its bytes are kept.
     */
    public static long utf8Size(
            String id, String source, String type, Instant time, String subject, UUID groupId, Object data) {
        EventEnvelope.of(id, source, type, time, subject, groupId, null);
        Utf8Counter counter = new Utf8Counter();
        try {
            OUTGOING.writeValue(
                    counter,
                    new Outgoing(
                            EventEnvelope.SPEC_VERSION,
                            id,
                            source,
                            type,
                            time,
                            subject,
                            EventEnvelope.JSON,
                            groupId.toString(),
                            EventEnvelope.SCHEMA_VERSION,
                            data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize event " + id, e);
        }
        return counter.bytes();
    }

    /** The UTF-8 length of a text as {@code getBytes(UTF_8)} encodes it (an unpaired surrogate as one '?'). */
    public static long utf8Size(CharSequence text) {
        Utf8Counter counter = new Utf8Counter();
        for (int i = 0; i < text.length(); i++) {
            counter.count(text.charAt(i));
        }
        return counter.bytes();
    }

    /**
     * Counts the UTF-8 bytes of the characters written to it. Jackson's own byte output would not do: it writes a
     * character outside the BMP as two six-byte escapes, where the text sent to Kafka holds its 4 bytes.
     */
    private static final class Utf8Counter extends Writer {
        private long bytes;
        private boolean highSurrogate;

        void count(char c) {
            if (highSurrogate) {
                highSurrogate = false;
                if (Character.isLowSurrogate(c)) {
                    bytes += 4;
                    return;
                }
                bytes++;
            }
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                highSurrogate = true;
            } else if (Character.isLowSurrogate(c)) {
                bytes++;
            } else {
                bytes += 3;
            }
        }

        long bytes() {
            return bytes + (highSurrogate ? 1 : 0);
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                count(buffer[i]);
            }
        }

        @Override
        public void write(String text, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                count(text.charAt(i));
            }
        }

        @Override
        public void write(int c) {
            count((char) c);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /**
     * Parses and validates one event (UTF-8 JSON).
     *
     * @throws InvalidEventException if the input is not JSON, not an object, or breaks the envelope contract
     */
    public static EventEnvelope fromBytes(byte[] json) {
        if (json == null) {
            throw new InvalidEventException(null, "event is missing: no bytes");
        }
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /**
     * Parses and validates one event.
     *
     * @throws InvalidEventException if the input is not JSON, not an object, or breaks the envelope contract
     */
    public static EventEnvelope fromJson(String json) {
        if (json == null) {
            throw new InvalidEventException(null, "event is missing: no text");
        }
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /**
     * Parses and validates one event (UTF-8 JSON) as {@link #fromBytes(byte[])} does, but streams over the
     * attributes and leaves {@code data} unparsed (its bytes are only checked to be well-formed JSON): consumers
     * bind it from the bytes into the payload their event type needs, or skip it.
     *
     * @throws InvalidEventException if the input is not JSON, not an object, or breaks the envelope contract
     */
    public static EventRecord read(byte[] json) {
        return read(json, null);
    }

    /**
     * Reads one event as {@link #read(byte[])} does and, when its {@code type} comes before its {@code data} (as
     * Strata's producers write it) and {@code payloads} names a record for that type, binds the data into that
     * record in the same pass, so a consumer's {@link EventRecord#payload(Class)} costs nothing more: the data is
     * read once instead of skipped then bound. A payload that does not fit its record is not this call's error: the
     * event is read again without binding and {@link EventRecord#payload(Class)} reports it, as it would have.
     *
     * @param payloads the payload record a consumer binds for an event type, or null for a type it does not bind
     * @throws InvalidEventException if the input is not JSON, not an object, or breaks the envelope contract
     */
    public static EventRecord read(byte[] json, Function<String, Class<?>> payloads) {
        if (payloads != null) {
            try {
                return parse(json, payloads);
            } catch (PayloadMisfit misfit) {
                // fall through: read without binding; the payload call reports the misfit
            }
        }
        return parse(json, null);
    }

    /** A payload bound in the envelope's pass did not fit its record. */
    private static final class PayloadMisfit extends RuntimeException {
        PayloadMisfit() {
            super(null, null, false, false);
        }
    }

    private static EventRecord parse(byte[] json, Function<String, Class<?>> payloads) {
        if (json == null) {
            throw new InvalidEventException(null, "event is missing: no bytes");
        }
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException(null, "malformed event: a CloudEvent is a JSON object");
            }
            String specversion = null;
            String id = null;
            String source = null;
            String type = null;
            Instant time = null;
            String subject = null;
            String datacontenttype = null;
            String groupid = null;
            int schemaversion = 0;
            int dataStart = 0;
            int dataEnd = 0;
            boolean dataIsObject = false;
            Class<?> boundType = null;
            Object bound = null;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "specversion" -> specversion = text(p, name);
                    case "id" -> id = text(p, name);
                    case "source" -> source = text(p, name);
                    case "type" -> type = text(p, name);
                    case "time" -> time = time(p);
                    case "subject" -> subject = text(p, name);
                    case "datacontenttype" -> datacontenttype = text(p, name);
                    case "groupid" -> groupid = text(p, name);
                    case "schemaversion" -> schemaversion = value == JsonToken.VALUE_NULL ? 0 : integer(p);
                    case "data" -> {
                        // A repeated attribute counts with its last value, as when binding the whole envelope.
                        dataStart = (int) p.currentTokenLocation().getByteOffset();
                        dataIsObject = value == JsonToken.START_OBJECT;
                        boundType = dataIsObject && payloads != null && type != null ? payloads.apply(type) : null;
                        bound = null;
                        if (boundType != null) {
                            bound = bindInStream(p, boundType);
                        } else if (value.isStructStart()) {
                            p.skipChildren();
                        } else {
                            p.finishToken();
                        }
                        dataEnd = value == JsonToken.VALUE_NULL
                                ? dataStart
                                : (int) p.currentLocation().getByteOffset();
                    }
                    default -> p.skipChildren(); // extensions this contract does not know
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new InvalidEventException(null, "malformed event: the JSON object is not closed");
            }
            if (p.nextToken() != null) {
                throw new InvalidEventException(null, "malformed event: trailing token after the event");
            }
            EventEnvelope attributes = new EventEnvelope(
                    specversion, id, source, type, time, subject, datacontenttype, groupid, schemaversion, null);
            return new EventRecord(
                    attributes,
                    UUID.fromString(groupid),
                    json,
                    dataStart,
                    dataEnd - dataStart,
                    dataIsObject,
                    boundType,
                    bound);
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /**
     * Binds an envelope's {@code data} into its type's payload record (see {@code dev.strata.model.events.payload}),
     * as {@link EventRecord#payload(Class)} does from the bytes.
     *
     * @throws InvalidEventException if there is no data object, or it lacks a required field or has a field of
     *     the wrong type
     */
    public static <T> T payload(EventEnvelope envelope, Class<T> type) {
        if (envelope.data() == null || !envelope.data().isObject()) {
            throw noDataObject(envelope.type());
        }
        try {
            return payloadReader(type).readValue(envelope.data());
        } catch (IOException e) {
            throw invalidPayload(envelope.type(), type, e);
        }
    }

    /**
     * Binds the object the parser stands on into {@code type}, leaving the parser on its closing brace.
     *
     * @throws PayloadMisfit if it does not fit (the parser is then lost: the caller reads the event again)
     */
    private static Object bindInStream(JsonParser p, Class<?> type) {
        try {
            return IN_STREAM_READERS.get(type).readValue(p);
        } catch (IOException | RuntimeException e) {
            throw new PayloadMisfit();
        }
    }

    /** The reader {@link #payload(EventEnvelope, Class)} binds with: unknown fields are ignored. */
    static ObjectReader payloadReader(Class<?> type) {
        return PAYLOAD_READERS.get(type);
    }

    static InvalidEventException noDataObject(String eventType) {
        return new InvalidEventException("data", "data of " + eventType + " must be a JSON object");
    }

    static InvalidEventException invalidPayload(String eventType, Class<?> type, IOException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof InvalidEventException invalid) {
            return invalid;
        }
        String detail =
                e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
        return new InvalidEventException(
                "data", "data of " + eventType + " does not fit " + type.getSimpleName() + ": " + detail, e);
    }

    private static String text(JsonParser p, String attribute) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!token.isScalarValue()) {
            throw new InvalidEventException(
                    attribute, "malformed event attribute " + attribute + ": expected a string");
        }
        return p.getText();
    }

    private static Instant time(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            Instant plain = Rfc3339.parse(p.getText());
            if (plain != null) {
                return plain;
            }
        }
        try {
            return TIME.readValue(p); // offsets, epoch numbers, null: as the envelope's own binding reads them
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("time", "malformed event attribute time: " + e.getOriginalMessage(), e);
        }
    }

    private static int integer(JsonParser p) throws IOException {
        try {
            return p.currentToken() == JsonToken.VALUE_STRING
                    ? Integer.parseInt(p.getText().trim())
                    : p.getIntValue();
        } catch (NumberFormatException | JsonProcessingException e) {
            throw new InvalidEventException(
                    "schemaversion", "malformed event attribute schemaversion: " + "expected a whole number", e);
        }
    }

    private static InvalidEventException invalid(IOException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof InvalidEventException invalid) {
            return invalid;
        }
        String attribute = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            attribute = mapping.getPath().get(0).getFieldName();
        }
        String detail =
                e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
        String message = attribute == null
                ? "malformed event: " + detail
                : "malformed event attribute " + attribute + ": " + detail;
        return new InvalidEventException(attribute, message, e);
    }
}
