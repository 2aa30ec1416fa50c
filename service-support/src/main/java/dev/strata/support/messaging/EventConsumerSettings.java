package dev.strata.support.messaging;

import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Map;

/**
 * The Kafka settings every consumer of the event topic shares, derived from {@code strata.events.max-event-bytes}
 * ({@link EventRecordLimits#consumerConfig()}). A service's channel takes them with
 * {@code mp.messaging.incoming.events-in.kafka-configuration=strata-event-consumer}; the channel's own attributes
 * still win, and the {@code kafka.*} defaults fill in the rest.
 */
@ApplicationScoped
public class EventConsumerSettings {

    /** Looked up by name when a channel starts, never injected: kept by {@code @Unremovable}. */
    @Produces
    @ApplicationScoped
    @Unremovable
    @Identifier(EventRecordLimits.CONSUMER_CONFIGURATION)
    Map<String, Object> eventConsumer(EventStreamConfig config) {
        return new EventRecordLimits(config.maxEventBytes()).consumerConfig();
    }
}
