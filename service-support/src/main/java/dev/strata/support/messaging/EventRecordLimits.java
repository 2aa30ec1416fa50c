package dev.strata.support.messaging;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Kafka's size limits, derived from the one Strata setting {@code strata.events.max-event-bytes}, so that an event
 * ingest accepted is taken by the relay's producer, stored by the broker and read by every consumer:
 *
 * <ul>
 * <li>the producer checks each record, uncompressed, against {@code max.request.size}: the event plus
 * {@link #RECORD_OVERHEAD} (its key, a group id of 36 bytes, the content-type header and the record and batch
 * headers take about 160 bytes);</li>
 * <li>the broker checks each record batch, compressed, against the topic's {@code max.message.bytes}: one more
 * {@link #RECORD_OVERHEAD} above the request, since LZ4 as Kafka writes it stores a block it cannot shrink as it
 * is, with 4 bytes of header per 64 KiB block; the producer's {@code batch.size} never exceeds a request, so a
 * batch of many small events fits too;</li>
 * <li>consumers: {@code max.partition.fetch.bytes} and {@code fetch.max.bytes} are not hard limits (Kafka returns a
 * first batch larger than them anyway); they are raised to hold a largest batch so that it is not fetched on its
 * own, and left at Kafka's defaults (1 MiB, 50 MiB) where those hold it already.</li>
 * </ul>
 *
 * With the default of 1,000,000 bytes every value stays within Kafka's own defaults (1 MiB records).
 */
public record EventRecordLimits(int maxEventBytes) {

    /** The identifier of the consumer settings bean: {@code mp.messaging.incoming.<channel>.kafka-configuration}. */
    public static final String CONSUMER_CONFIGURATION = "strata-event-consumer";

    /** Room for what Kafka adds around an event, about 160 bytes, with plenty to spare. */
    static final int RECORD_OVERHEAD = 16 * 1024;

    private static final int DEFAULT_PARTITION_FETCH_BYTES = 1024 * 1024;
    private static final int DEFAULT_FETCH_MAX_BYTES = 50 * 1024 * 1024;
    private static final int PREFERRED_BATCH_BYTES = 256 * 1024;

    /**
     * The least an event may be allowed. The events Strata writes of its own accord are small (a group's hold a name
     * of at most 256 characters, about 2 KiB escaped at worst; api_call counts, threshold crossings and archived
     * objects' summaries hold counts and ids), so what can pass the limit is what clients send, which ingest
     * checks item by item.
     */
    static final int MIN_EVENT_BYTES = 16 * 1024;

    public EventRecordLimits {
        if (maxEventBytes < MIN_EVENT_BYTES || maxEventBytes > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("strata.events.max-event-bytes must be from " + MIN_EVENT_BYTES + " to "
                    + Integer.MAX_VALUE / 2 + ", not " + maxEventBytes);
        }
    }

    /** The relay's producer {@code max.request.size}. */
    public int maxRequestBytes() {
        return maxEventBytes + RECORD_OVERHEAD;
    }

    /** The producer's {@code batch.size}: 256 KiB, or less where a request is smaller. */
    public int batchBytes() {
        return Math.min(PREFERRED_BATCH_BYTES, maxRequestBytes());
    }

    /** The topic's {@code max.message.bytes}. */
    public int maxMessageBytes() {
        return maxRequestBytes() + RECORD_OVERHEAD;
    }

    /**
     * What the consumers of the event topic set, so that a largest batch fits one fetch of a partition. Values are
     * text, as channel attributes are, since the connector may read any attribute as text.
     */
    public Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                String.valueOf(Math.max(DEFAULT_PARTITION_FETCH_BYTES, maxMessageBytes())),
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                String.valueOf(Math.max(DEFAULT_FETCH_MAX_BYTES, maxMessageBytes())));
    }
}
