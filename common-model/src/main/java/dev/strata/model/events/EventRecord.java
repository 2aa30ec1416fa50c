package dev.strata.model.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * An event as a consumer reads it off the stream: the CloudEvents attributes parsed and checked, {@code data} left
 * as the bytes it came in. A consumer binds the data straight from those bytes into the payload record its type
 * calls for ({@link #data(ObjectReader)}), in one pass and without a JSON tree, or skips it when the type is none
 * of its business; {@link #data()} and {@link #envelope()} still give the tree when one is wanted. Read with
 * {@link EventEnvelopeCodec#read(byte[])}, which accepts and refuses exactly what
 * {@link EventEnvelopeCodec#fromBytes(byte[])} does; or with {@link EventEnvelopeCodec#read(byte[], java.util.function.Function)},
 * which binds the payload the consumer names in the same pass.
 */
public final class EventRecord {

    private final EventEnvelope attributes;
    private final UUID groupId;
    private final byte[] json;
    private final int dataOffset;
    private final int dataLength;
    private final boolean dataIsObject;
    private final Class<?> boundType;
    private final Object bound;

    /** {@code boundType} and {@code bound}: the payload already bound while the event was read, or nulls. */
    EventRecord(
            EventEnvelope attributes,
            UUID groupId,
            byte[] json,
            int dataOffset,
            int dataLength,
            boolean dataIsObject,
            Class<?> boundType,
            Object bound) {
        this.attributes = attributes;
        this.groupId = groupId;
        this.json = json;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
        this.dataIsObject = dataIsObject;
        this.boundType = boundType;
        this.bound = bound;
    }

    public String id() {
        return attributes.id();
    }

    public String source() {
        return attributes.source();
    }

    public String type() {
        return attributes.type();
    }

    public Instant time() {
        return attributes.time();
    }

    public String subject() {
        return attributes.subject();
    }

    public String groupid() {
        return attributes.groupid();
    }

    public UUID groupUuid() {
        return groupId;
    }

    public int schemaversion() {
        return attributes.schemaversion();
    }

    /** Whether the event has data ({@code "data": null} counts as none, as in {@link EventEnvelope}). */
    public boolean hasData() {
        return dataLength > 0;
    }

    /** Whether {@code data} is a JSON object, the shape every Strata payload has. */
    public boolean dataIsObject() {
        return dataIsObject;
    }

    /** The data as a JSON tree, parsed on every call; {@code null} without data. */
    public JsonNode data() {
        if (!hasData()) {
            return null;
        }
        try {
            return EventEnvelopeCodec.mapper().readTree(json, dataOffset, dataLength);
        } catch (IOException e) {
            throw new UncheckedIOException("data of event " + id() + " was checked when read", e);
        }
    }

    /**
     * Binds the data bytes with the given reader (one made from {@link EventEnvelopeCodec#mapper()}, so payload
     * times read as the envelope's do).
     *
     * @throws IOException if the data does not fit the reader's type; {@code null} without data
     */
    public <T> T data(ObjectReader reader) throws IOException {
        return hasData() ? reader.readValue(json, dataOffset, dataLength) : null;
    }

    /**
     * Binds the data bytes into this type's payload record (see {@code dev.strata.model.events.payload}), ignoring
     * fields the record does not know.
     *
     * @throws InvalidEventException if there is no data object, or it lacks a required field or has a field of
     *     the wrong type
     */
    public <T> T payload(Class<T> type) {
        if (type == boundType) {
            return type.cast(bound); // bound while the event was read (EventEnvelopeCodec.read(json, payloads))
        }
        if (!dataIsObject) {
            throw EventEnvelopeCodec.noDataObject(type());
        }
        try {
            return EventEnvelopeCodec.payloadReader(type).readValue(json, dataOffset, dataLength);
        } catch (IOException e) {
            throw EventEnvelopeCodec.invalidPayload(type(), type, e);
        }
    }

    /** The whole event with its data as a tree. */
    public EventEnvelope envelope() {
        return new EventEnvelope(
                attributes.specversion(),
                id(),
                source(),
                type(),
                time(),
                subject(),
                attributes.datacontenttype(),
                groupid(),
                schemaversion(),
                data());
    }
}
