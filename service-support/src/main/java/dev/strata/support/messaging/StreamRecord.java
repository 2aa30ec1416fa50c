package dev.strata.support.messaging;

import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One record of the event topic, wherever it was read from (the live channel, a rebuild's replay, quarantine). */
public record StreamRecord(String topic, int partition, long offset, String key, Instant publishedAt, byte[] value) {

    public static StreamRecord of(ConsumerRecord<String, byte[]> record) {
        return new StreamRecord(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                Instant.ofEpochMilli(record.timestamp()),
                record.value());
    }

    /** {@code topic-partition@offset}, as logs and problems name a record. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }

    public int size() {
        return value == null ? 0 : value.length;
    }
}
