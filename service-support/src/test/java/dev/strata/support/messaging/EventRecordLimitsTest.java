package dev.strata.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;

class EventRecordLimitsTest {

    /** Kafka's default message.max.bytes of a broker, which a topic without an override of its own takes. */
    private static final int BROKER_DEFAULT = 1_048_588;

    @Test
    void shouldStayWithinKafkasDefaultsForTheDefaultEventSize() {
        EventRecordLimits limits = new EventRecordLimits(1_000_000);

        assertThat(limits.maxRequestBytes()).isEqualTo(1_000_000 + 16_384);
        assertThat(limits.maxMessageBytes()).isEqualTo(1_000_000 + 32_768).isLessThanOrEqualTo(BROKER_DEFAULT);
        assertThat(limits.batchBytes()).isEqualTo(262_144);
        assertThat(limits.consumerConfig())
                .isEqualTo(Map.of(
                        "max.partition.fetch.bytes", "1048576",
                        "fetch.max.bytes", "52428800"));
    }

    @Test
    void shouldRaiseConsumerFetchesOnlyWhereTheirDefaultsAreTooSmall() {
        EventRecordLimits limits = new EventRecordLimits(4_000_000);

        assertThat(limits.maxMessageBytes()).isEqualTo(4_032_768);
        assertThat(limits.consumerConfig())
                .isEqualTo(Map.of(
                        "max.partition.fetch.bytes", "4032768",
                        "fetch.max.bytes", "52428800"));
    }

    @Test
    void shouldNeverBatchMoreThanOneRequestHolds() {
        assertThat(new EventRecordLimits(20_000).batchBytes()).isEqualTo(20_000 + 16_384);
    }

    @Test
    void shouldLetTheProducerTakeAnEventOfTheLargestSizeWithItsKeyAndHeader() {
        for (int maxEventBytes : new int[] {16_384, 1_000_000, 8_000_000}) {
            EventRecordLimits limits = new EventRecordLimits(maxEventBytes);
            byte[] key = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            Header[] headers = {
                new RecordHeader("content-type", "application/cloudevents+json".getBytes(StandardCharsets.US_ASCII))
            };
            // what KafkaProducer.send compares with max.request.size before it sends
            int estimate = AbstractRecords.estimateSizeInBytesUpperBound(
                    RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.LZ4, key, new byte[maxEventBytes], headers);

            assertThat(estimate).isLessThanOrEqualTo(limits.maxRequestBytes()).isGreaterThan(maxEventBytes + 100);
            assertThat(limits.maxMessageBytes()).isGreaterThan(limits.maxRequestBytes());
        }
    }

    @Test
    void shouldRefuseAnEventSizeNoRecordCouldHold() {
        assertThatThrownBy(() -> new EventRecordLimits(16_383))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strata.events.max-event-bytes must be from 16384 to 1073741823, not 16383");
    }
}
