package dev.strata.support.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The part of a service's Kafka configuration (the {@code default-kafka-broker} map: bootstrap servers, security,
 * ...) that one kind of Kafka client takes, for the clients Strata builds itself (the relay's producer, admin
 * clients, replay consumers). A mutable copy: the caller adds its own settings.
 */
public final class KafkaClientConfig {

    private KafkaClientConfig() {}

    public static Map<String, Object> producer(Map<String, Object> kafka) {
        return only(kafka, ProducerConfig.configNames());
    }

    public static Map<String, Object> consumer(Map<String, Object> kafka) {
        return only(kafka, ConsumerConfig.configNames());
    }

    public static Map<String, Object> admin(Map<String, Object> kafka) {
        return only(kafka, AdminClientConfig.configNames());
    }

    private static Map<String, Object> only(Map<String, Object> kafka, Set<String> names) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (names.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }
}
