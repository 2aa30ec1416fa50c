package dev.strata.quota.service;

import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.quota.client.IngestClient;
import dev.strata.quota.client.Inventory;
import dev.strata.quota.config.QuotaConfig;
import dev.strata.quota.messaging.ConsumerPositions;
import dev.strata.quota.store.CounterStore;
import dev.strata.quota.store.CounterStore.CounterKey;
import dev.strata.quota.store.CounterStore.DailyKey;
import dev.strata.quota.store.Tables;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Compares a group's event-fed counters with ingest-service's source of truth ({@code GET /groups/{g}/inventory})
 * and, on request, corrects them.
 *
 * <p>The two sides are not read at one instant: events still on their way (in ingest's outbox, or on the topic
 * ahead of the consumer) show up as drift for a moment. A report says what it sees. A fix therefore only
 * corrects a drift that holds still: it measures once, waits until the consumers have applied every
 * event of the group that was on the topic by then, and measures again while holding the apply gate (no batch is
 * applied meanwhile). Only if both drifts are equal is it written, as one delta per counter (plus a history
 * entry for today), in the gate's transaction; a drift that moved means events were on their way, and the fix
 * answers 409 rather than count them twice (writes both sides have seen leave the drift as it is). What could
 * still be counted twice is an event that stays unconsumed across both measurements: one held in ingest's outbox
 * for longer than the catch-up (the relay polls every 100 ms).
 */
@ApplicationScoped
public class ReconcileService {

    private static final Logger LOG = Logger.getLogger(ReconcileService.class);

    /** The counters ingest keeps a source of truth for (see {@link #compare}). */
    static final List<Metric> RECONCILED =
            List.of(Metric.USERS, Metric.ENTITIES_TOTAL, Metric.CONNECTIONS_TOTAL, Metric.STORAGE_GB);

    private final Pool pool;
    private final IngestClient ingest;
    private final CounterStore counters;
    private final ConsumerPositions positions;
    private final QuotaConfig.Reconcile config;
    private final Clock clock;

    public ReconcileService(
            Pool pool,
            @RestClient IngestClient ingest,
            CounterStore counters,
            ConsumerPositions positions,
            QuotaConfig config,
            Clock clock) {
        this.pool = pool;
        this.ingest = ingest;
        this.counters = counters;
        this.positions = positions;
        this.config = config.reconcile();
        this.clock = clock;
    }

    /** One metric: quota's counter, ingest's count, and counter minus count (base units: bytes for storage). */
    public record MetricDrift(long counter, long sourceOfTruth, long drift) {}

    public record Reconciliation(UUID groupId, Instant checkedAt, Map<String, MetricDrift> metrics, boolean inSync) {}

    /** What a fix found and the deltas it added (only metrics that drifted). */
    public record Fix(UUID groupId, Instant fixedAt, Map<String, MetricDrift> before, Map<String, Long> corrections) {}

    public Uni<Reconciliation> check(UUID groupId) {
        return inventory(groupId).chain(truth -> totals(pool, groupId).map(totals -> compare(groupId, totals, truth)));
    }

    public Uni<Fix> fix(UUID groupId) {
        return inventory(groupId)
                .chain(truth -> positions
                        .partitionOf(groupId.toString())
                        .chain(partition -> positions.position(partition).map(p -> new Mark(partition, p.end())))
                        .chain(mark -> totals(pool, groupId)
                                .map(totals -> compare(groupId, totals, truth))
                                .map(first -> new Measured(first, mark))))
                .chain(measured -> measured.first().inSync()
                        ? Uni.createFrom().item(nothingToFix(measured.first()))
                        : awaitConsumer(groupId, measured.mark())
                                .chain(() ->
                                        pool.withTransaction(tx -> fixHoldingGate(tx, groupId, measured.first()))));
    }

    private record Mark(int partition, long end) {}

    private record Measured(Reconciliation first, Mark mark) {}

    /** Waits until the group's partition is committed up to {@code mark}, so the counters include those events. */
    private Uni<Void> awaitConsumer(UUID groupId, Mark mark) {
        return positions
                .position(mark.partition())
                .invoke(position -> {
                    if (position.committed() == null ? mark.end() > 0 : position.committed() < mark.end()) {
                        throw new NotCaughtUp();
                    }
                })
                .onFailure(NotCaughtUp.class)
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .expireIn(config.catchUpTimeout().toMillis())
                .onFailure(e -> e instanceof NotCaughtUp || e.getCause() instanceof NotCaughtUp)
                .transform(e -> conflict("quota-service has not yet consumed the events"
                        + " of group " + groupId + " that were on the topic (partition " + mark.partition()
                        + ", up to offset " + mark.end() + ") within " + config.catchUpTimeout() + ". Try again."))
                .replaceWithVoid();
    }

    private static final class NotCaughtUp extends RuntimeException {
        NotCaughtUp() {
            super(null, null, false, false);
        }
    }

    private Uni<Fix> fixHoldingGate(SqlClient tx, UUID groupId, Reconciliation first) {
        return tx.query("SET LOCAL lock_timeout = " + config.gateTimeout().toMillis())
                .execute()
                .chain(() -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1, $2)")
                        .execute(Tuple.of(UsageApplier.LOCK_CLASS, UsageApplier.APPLY_GATE)))
                .onFailure(PgException.class)
                .transform(e -> isLockTimeout(e)
                        ? conflict("The counters are locked (a rebuild is running?); try again later.")
                        : e)
                .chain(() -> totals(tx, groupId))
                .chain(totals -> inventory(groupId).map(truth -> compare(groupId, totals, truth)))
                .chain(second -> {
                    if (second.inSync()) {
                        return Uni.createFrom().item(nothingToFix(second)); // the drift was events on their way
                    }
                    if (!drifts(second).equals(drifts(first))) {
                        throw conflict("The drift of group " + groupId + " moved while it was being fixed ("
                                + drifts(first) + ", then " + drifts(second) + "): its events are still on their way."
                                + " Try again.");
                    }
                    return write(tx, groupId, second);
                });
    }

    private Fix nothingToFix(Reconciliation measured) {
        return new Fix(measured.groupId(), clock.instant(), measured.metrics(), Map.of());
    }

    private Uni<Fix> write(SqlClient tx, UUID groupId, Reconciliation measured) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        SortedMap<CounterKey, Long> deltas = new TreeMap<>(CounterKey.ORDER);
        SortedMap<DailyKey, Long> daily = new TreeMap<>(DailyKey.ORDER);
        Map<String, Long> corrections = new LinkedHashMap<>();
        measured.metrics().forEach((metric, drift) -> {
            if (drift.drift() != 0) {
                long correction = -drift.drift();
                corrections.put(metric, correction);
                deltas.put(new CounterKey(groupId, metric, Metric.TOTAL), correction);
                daily.put(new DailyKey(groupId, metric, today), correction);
            }
        });
        LOG.infof("Reconciliation of group %s: corrections %s (counters %s)", groupId, corrections, measured.metrics());
        return counters.add(tx, Tables.LIVE, deltas)
                .chain(() -> counters.addDaily(tx, Tables.LIVE, daily))
                .replaceWith(new Fix(groupId, now, measured.metrics(), corrections));
    }

    private static Map<String, Long> drifts(Reconciliation reconciliation) {
        Map<String, Long> drifts = new LinkedHashMap<>();
        reconciliation.metrics().forEach((metric, drift) -> drifts.put(metric, drift.drift()));
        return drifts;
    }

    private Uni<Map<String, Long>> totals(SqlClient client, UUID groupId) {
        return counters.snapshot(client, groupId, UsageDeltas.month(clock.instant()))
                .map(CounterStore.Snapshot::totals);
    }

    private Reconciliation compare(UUID groupId, Map<String, Long> totals, Inventory truth) {
        Map<Metric, Function<Inventory, Long>> sources = Map.of(
                Metric.USERS,
                Inventory::peopleLike,
                Metric.ENTITIES_TOTAL,
                Inventory::things,
                Metric.CONNECTIONS_TOTAL,
                Inventory::connections,
                Metric.STORAGE_GB,
                Inventory::storageBytes);
        Map<String, MetricDrift> metrics = new LinkedHashMap<>();
        boolean inSync = true;
        for (Metric metric : RECONCILED) {
            long counter = totals.getOrDefault(metric.key(), 0L);
            long source = sources.get(metric).apply(truth);
            metrics.put(metric.key(), new MetricDrift(counter, source, counter - source));
            inSync &= counter == source;
        }
        return new Reconciliation(groupId, clock.instant(), metrics, inSync);
    }

    /** ingest's inventory, every member present; its failures become problems that say which side failed. */
    private Uni<Inventory> inventory(UUID groupId) {
        return ingest.inventory(groupId)
                .onFailure()
                .transform(e -> ingestFailure(groupId, e))
                .invoke(inventory -> {
                    if (inventory == null
                            || inventory.things() == null
                            || inventory.peopleLike() == null
                            || inventory.connections() == null
                            || inventory.storageBytes() == null) {
                        throw unavailable("ingest-service answered an inventory of group " + groupId
                                + " without things, peopleLike, connections or storageBytes.");
                    }
                });
    }

    private static RuntimeException ingestFailure(UUID groupId, Throwable e) {
        if (e instanceof ProblemException problem) {
            return problem;
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status == 404) {
                return ProblemException.notFound("ingest-service does not know group " + groupId + ".");
            }
            LOG.warnf("ingest-service answered %d to the inventory of group %s", status, groupId);
            return unavailable("ingest-service answered " + status + " to the inventory of group " + groupId
                    + (status == 401 || status == 403 ? " (is strata.service-token set?)." : "."));
        }
        LOG.warnf("ingest-service did not answer the inventory of group %s: %s", groupId, e.toString());
        return unavailable("ingest-service did not answer the inventory of group " + groupId + ". Try again later.");
    }

    private static boolean isLockTimeout(Throwable e) {
        return e instanceof PgException pg && "55P03".equals(pg.getSqlState());
    }

    private static ProblemException conflict(String detail) {
        return ProblemException.of(ProblemType.CONFLICT, detail);
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of(ProblemType.SERVICE_UNAVAILABLE, detail));
    }
}
