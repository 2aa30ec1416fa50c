package dev.strata.ingest.store;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.support.outbox.OutboxStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * The outbox for writes made through Panache: the events are inserted on the session's own connection, so they
 * commit or roll back with the entity writes of the same transaction (the rows {@link OutboxStore#append} writes on
 * the reactive client, the same table and shard). Call it inside {@code @WithTransaction} or
 * {@code Panache.withTransaction}.
 */
@ApplicationScoped
public class SessionOutbox {

    private static final String INSERT =
            "INSERT INTO outbox (shard, group_id, event_id, payload) VALUES (:shard, :group, :event, :payload)";

    /**
     * Flushes the session first, so the entity rows are written before their events, then appends the events in
     * list order.
     */
    public Uni<Void> append(UUID groupId, List<EventEnvelope> events) {
        short shard = (short) OutboxStore.shardOf(groupId);
        return Panache.getSession().chain(session -> {
            Uni<Void> appended = session.flush();
            for (EventEnvelope event : events) {
                appended = appended.chain(() -> session.createNativeQuery(INSERT)
                        .setParameter("shard", shard)
                        .setParameter("group", groupId)
                        .setParameter("event", UUID.fromString(event.id()))
                        .setParameter("payload", EventEnvelopeCodec.toJson(event))
                        .executeUpdate()
                        .replaceWithVoid());
            }
            return appended;
        });
    }
}
