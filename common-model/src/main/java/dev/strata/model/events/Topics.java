package dev.strata.model.events;

/**
 * Kafka topic and SmallRye Reactive Messaging channel names, shared so producers, consumers and tests cannot
 * drift apart.
 *
 * <p>One topic carries the whole event stream, keyed by group id so each group's events stay in order. The
 * partition count is configuration, not part of this contract: the services create the topic with a
 * configurable number of partitions (more than one by default), and ordering only holds per key.
 */
public final class Topics {

    /** The single topic carrying every {@link EventEnvelope}, keyed by {@link EventEnvelope#groupid()}. */
    public static final String EVENTS = "strata.events";

    /**
     * Where a consumer puts a record it can never apply (SmallRye Kafka's dead-letter convention: the reason, the
     * original topic, partition and offset travel as {@code dead-letter-*} headers). The consumer's own
     * {@code rejected_events} table holds the same records with the full bytes; this topic is for operators and
     * tools outside the service.
     */
    public static final String EVENTS_DLQ = "strata.events.dlq";

    /** Incoming channel a service binds to {@link #EVENTS} to consume events. */
    public static final String EVENTS_IN = "events-in";

    private Topics() {}
}
