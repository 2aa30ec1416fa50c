package dev.strata.quota.service;

import dev.strata.quota.client.BatchOutcome;
import dev.strata.quota.client.IngestClient;
import dev.strata.quota.config.QuotaConfig;
import dev.strata.quota.store.ReservationRepository;
import dev.strata.quota.store.ReservationStore;
import dev.strata.quota.store.ReservationStore.Due;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Ends or keeps the reservations whose writer never confirmed them. An unconfirmed reservation past its TTL is not
 * dropped: its write may have committed (ingest died, or quota-service was down, between the commit and the
 * confirmation) and its events may still be on their way. The resolver asks ingest about the write
 * ({@code POST /groups/{g}/batches/{reference}:resolve}); ingest answers from its own database, where a write
 * records its batch id in its own transaction, and fences a write that has not committed so that it never can.
 * "committed" holds the reservations until settled, "abandoned" ends them. When ingest cannot answer, they keep
 * holding and are asked about again on the next run: too strict for a while, never too lenient.
 *
 * <p>Every replica runs it; two asking about the same write get the same answer, and each state change applies
 * only to reservations still open.
 */
@ApplicationScoped
public class ReservationResolver {

    private static final Logger LOG = Logger.getLogger(ReservationResolver.class);

    private final Pool pool;
    private final ReservationStore reservations;
    private final ReservationRepository repository;
    private final IngestClient ingest;
    private final QuotaConfig.Reservations config;
    private final Clock clock;

    public ReservationResolver(
            Pool pool,
            ReservationStore reservations,
            ReservationRepository repository,
            @RestClient IngestClient ingest,
            QuotaConfig config,
            Clock clock) {
        this.pool = pool;
        this.reservations = reservations;
        this.repository = repository;
        this.ingest = ingest;
        this.config = config.reservations();
        this.clock = clock;
    }

    /** What one run did: writes found committed, found abandoned, still unknown; unreferenced ones expired. */
    public record Resolved(int committed, int abandoned, int unresolved, int expiredUnreferenced) {}

    @Scheduled(
            every = "${strata.quota.reservations.resolve-every:30s}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().invoke(resolved -> {
                    if (resolved.committed() + resolved.abandoned() + resolved.unresolved() > 0) {
                        LOG.infof("Unconfirmed reservations past their TTL: %s", resolved);
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Resolved> run() {
        Instant now = clock.instant();
        return reservations
                .expireUnreferenced(pool, now)
                .chain(expired -> reservations
                        .due(pool, now, config.resolveLimit())
                        .onItem()
                        .transformToMulti(due -> Multi.createFrom().iterable(due))
                        .onItem()
                        .transformToUniAndConcatenate(this::resolve)
                        .collect()
                        .asList()
                        .map(outcomes -> new Resolved(
                                count(outcomes, Outcome.COMMITTED),
                                count(outcomes, Outcome.ABANDONED),
                                count(outcomes, Outcome.UNKNOWN),
                                expired)));
    }

    private enum Outcome {
        COMMITTED,
        ABANDONED,
        UNKNOWN
    }

    private Uni<Outcome> resolve(Due due) {
        UUID batchId = batchId(due.reference());
        if (batchId == null) {
            // not a batch id: no write of ingest's can settle it, so there is nothing to wait for
            return expire(due).replaceWith(Outcome.ABANDONED);
        }
        return ingest.resolveBatch(due.groupId(), batchId)
                .chain(answer -> switch (answer.outcome() == null ? "" : answer.outcome()) {
                    case BatchOutcome.COMMITTED ->
                        Panache.withTransaction(
                                        () -> repository.commit(due.groupId(), due.reference(), clock.instant()))
                                .replaceWith(Outcome.COMMITTED);
                    case BatchOutcome.ABANDONED -> expire(due).replaceWith(Outcome.ABANDONED);
                    default ->
                        Uni.createFrom()
                                .failure(new IllegalStateException("ingest answered the outcome " + answer.outcome()));
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "Could not learn whether write %s of group %s committed; its reservations keep holding"
                                    + " and it is asked about again on the next run: %s",
                            due.reference(), due.groupId(), failure.getMessage());
                    return Outcome.UNKNOWN;
                });
    }

    private Uni<Integer> expire(Due due) {
        return Panache.withTransaction(() -> repository.expire(due.groupId(), due.reference(), clock.instant()));
    }

    /** The batch id a reference names, as a batch_import's batchId would settle it; null if it names none. */
    private static UUID batchId(String reference) {
        try {
            UUID id = UUID.fromString(reference);
            return id.toString().equals(reference) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int count(List<Outcome> outcomes, Outcome outcome) {
        return (int) outcomes.stream().filter(outcome::equals).count();
    }
}
