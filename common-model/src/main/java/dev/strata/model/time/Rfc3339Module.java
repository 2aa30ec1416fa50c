package dev.strata.model.time;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import java.io.IOException;
import java.time.Instant;

/**
 * {@link Instant}s as RFC 3339 UTC strings through {@link Rfc3339}, for a mapper that has the {@code JavaTimeModule}
 * and writes dates as text: register it after that module, which it then stands in front of for instants. Writes
 * what {@code JavaTimeModule} writes ({@link Instant#toString()}); reads the plain UTC form itself and hands
 * everything else (offsets, numbers, malformed text) to {@code JavaTimeModule}'s reader, which accepts or refuses it
 * as before.
 */
public final class Rfc3339Module extends SimpleModule {

    public Rfc3339Module() {
        super("strata-rfc3339");
        addSerializer(Instant.class, new Writer());
        addDeserializer(Instant.class, new Reader());
    }

    private static final class Writer extends StdScalarSerializer<Instant> {

        Writer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator json, SerializerProvider provider) throws IOException {
            char[] buffer = new char[Rfc3339.MAX_LENGTH];
            int length = Rfc3339.format(value, buffer);
            if (length < 0) {
                InstantSerializer.INSTANCE.serialize(value, json, provider);
            } else {
                json.writeString(buffer, 0, length);
            }
        }
    }

    private static final class Reader extends StdScalarDeserializer<Instant> {

        Reader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_STRING) {
                Instant instant = Rfc3339.parse(json.getText());
                if (instant != null) {
                    return instant;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(json, context);
        }
    }
}
