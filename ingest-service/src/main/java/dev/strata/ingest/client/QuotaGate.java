package dev.strata.ingest.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.ingest.store.BatchOutcomeStore;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Reserves a write's quota at quota-service before the write, so that concurrent batches can never overshoot a
 * hard limit together (a check followed by a write could). The reservation's reference is the batch id: it
 * settles when quota-service consumes the batch's {@code batch_import} event. A refusal becomes a
 * {@code quota-exceeded} problem with quota-service's members (metric, current, limit, requested, upgrade);
 * if quota-service cannot be reached, the configured policy decides (fail closed by default) and says so.
 *
 * <p>A reservation must hold until the write's events are applied if the write committed, and may end only once
 * the write is known never to commit. So the write records its batch id in its own transaction
 * ({@link #recordWrite}, table {@code batch_outcomes}); {@link #transaction} confirms the reservations once the
 * write committed (after the client has its answer: quota-service asks ingest about unconfirmed ones, so a lost
 * confirmation costs nothing but a question), releases them when the write certainly rolled back, and, when the
 * commit's outcome is unknown (the connection broke during COMMIT), asks ingest's own database first.
 */
@ApplicationScoped
public class QuotaGate {

    private static final Logger LOG = Logger.getLogger(QuotaGate.class);

    private final QuotaClient client;
    private final QuotaClientConfig config;
    private final Pool pool;
    private final BatchOutcomeStore outcomes;

    public QuotaGate(@RestClient QuotaClient client, QuotaClientConfig config, Pool pool, BatchOutcomeStore outcomes) {
        this.client = client;
        this.config = config;
        this.pool = pool;
        this.outcomes = outcomes;
    }

    /** Reservations granted for one write (reference: its batch id); release them if the write does not commit. */
    public record Granted(UUID groupId, UUID reference, List<String> ids) {

        public static final Granted NONE = new Granted(null, null, List.of());
    }

    /** Whether a write with this demand reserves quota (and so must record its batch id, see {@link #recordWrite}). */
    public boolean reserves(QuotaDemand demand) {
        return config.enabled() && !demand.isEmpty();
    }

    /**
     * In the write's transaction, before it can commit: records that the write with this batch id committed, if it
     * does. Fails the transaction if ingest already declared the batch id abandoned (quota-service asked about its
     * reservations after their TTL), so a write whose reservations were ended can never commit.
     */
    public Uni<Void> recordWrite(SqlClient tx, UUID groupId, UUID batchId) {
        return outcomes.recordCommitted(tx, groupId, batchId);
    }

    /**
     * Runs a write's transaction and ends the uncertainty about its reservations: confirmed in the background once
     * it committed, released once it certainly did not (its statements failed, so COMMIT was never sent), and,
     * when COMMIT was sent but failed, confirmed or released according to ingest's own record of the batch id
     * (which it fences first if the write did not commit). If even that cannot be read, the reservations stay open
     * and quota-service resolves them after their TTL.
     */
    public <T> Uni<T> transaction(Function<SqlConnection, Uni<T>> work, Supplier<Granted> granted) {
        AtomicBoolean commitSent = new AtomicBoolean();
        return pool.withTransaction(tx -> work.apply(tx).invoke(() -> commitSent.set(true)))
                .invoke(() -> confirmInBackground(granted.get()))
                .onFailure()
                .call(() -> commitSent.get() ? releaseUnlessCommitted(granted.get()) : release(granted.get()));
    }

    public Uni<Granted> reserve(UUID groupId, UUID reference, QuotaDemand demand) {
        if (!reserves(demand)) {
            return Uni.createFrom().item(Granted.NONE);
        }
        // One call per metric, all at once: each is its own atomic check at quota-service, so their order does
        // not matter, and the write waits one round trip instead of one per metric.
        List<String> granted = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Uni<String>> calls = new ArrayList<>();
        for (Map.Entry<String, Long> need : demand.ordered()) {
            calls.add(reserveOne(groupId, reference, need.getKey(), need.getValue())
                    .invoke(id -> {
                        if (id != null) {
                            granted.add(id);
                        }
                    }));
        }
        // A refusal fails the write before its transaction can commit, so what was granted is given back at once.
        return Uni.join()
                .all(calls)
                .andCollectFailures()
                .replaceWith(() -> new Granted(groupId, reference, List.copyOf(granted)))
                .onFailure()
                .transform(QuotaGate::firstProblem)
                .onFailure()
                .call(() -> release(new Granted(groupId, reference, List.copyOf(granted))));
    }

    /** Of several refusals, the first (by metric name) is the one the client hears about. */
    private static Throwable firstProblem(Throwable failure) {
        if (failure instanceof io.smallrye.mutiny.CompositeException composite) {
            return composite.getCauses().stream()
                    .filter(ProblemException.class::isInstance)
                    .findFirst()
                    .orElse(composite.getCauses().get(0));
        }
        return failure;
    }

    /**
     * Tells quota-service that the write committed, so its reservations hold until its events are applied. Never
     * fails: unconfirmed, they are resolved by quota-service asking ingest after their TTL.
     */
    public Uni<Void> confirm(Granted granted) {
        if (granted.ids().isEmpty() || !config.confirm()) {
            return Uni.createFrom().voidItem();
        }
        return client.commit(
                        granted.groupId().toString(),
                        new QuotaClient.CommitRequest(granted.reference().toString()))
                .ifNoItem()
                .after(config.timeout())
                .fail()
                .invoke(Response::close)
                .onFailure()
                .invoke(e -> LOG.infof(
                        "Could not confirm the reservations of write %s (quota-service will"
                                + " ask about them after their TTL): %s",
                        granted.reference(), e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private void confirmInBackground(Granted granted) {
        confirm(granted).subscribe().with(done -> {}, failure -> {});
    }

    /**
     * After a COMMIT whose outcome is unknown: the batch id's record says whether the write committed (and
     * abandons it for good if it did not), then the reservations are confirmed or released accordingly.
     */
    private Uni<Void> releaseUnlessCommitted(Granted granted) {
        if (granted.ids().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withConnection(connection -> outcomes.resolve(connection, granted.groupId(), granted.reference()))
                .chain(outcome -> outcome == BatchOutcomeStore.Outcome.COMMITTED ? confirm(granted) : release(granted))
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "Could not learn whether write %s committed; its reservations stay"
                                + " open until quota-service asks: %s",
                        granted.reference(), e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Gives the reservations back; only for a write that did not and cannot commit. */
    public Uni<Void> release(Granted granted) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String id : granted.ids()) {
            chain = chain.chain(() -> client.release(granted.groupId().toString(), id)
                    .onFailure()
                    .invoke(e -> LOG.warnf(
                            "Could not release reservation %s (quota-service will ask" + " about it after its TTL): %s",
                            id, e.getMessage()))
                    .onFailure()
                    .recoverWithNull()
                    .replaceWithVoid());
        }
        return chain;
    }

    /** The id of the granted reservation, or null when the policy let the write through without one. */
    private Uni<String> reserveOne(UUID groupId, UUID reference, String metric, long amount) {
        return client.reserve(groupId.toString(), new QuotaClient.ReserveRequest(metric, amount, reference.toString()))
                // a 4xx/5xx answer arrives as an exception carrying the response: read it like any answer
                .onFailure(WebApplicationException.class)
                .recoverWithItem(e -> ((WebApplicationException) e).getResponse())
                .ifNoItem()
                .after(config.timeout())
                .fail()
                // quota-service learns a group from the stream, or asks this service's GET /groups/{g}; a 404 means
                // it could do neither yet (we did not answer in time): a safety net, rarely needed
                .chain(response -> response.getStatus() == 404
                        ? Uni.createFrom().failure(new UnknownYet())
                        : Uni.createFrom().item(response))
                .onFailure(UnknownYet.class)
                .retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofMillis(500))
                .expireIn(config.unknownGroupWait().toMillis())
                .map(response -> granted(response, metric))
                .onFailure(e -> !(e instanceof ProblemException))
                .recoverWithUni(e -> unavailable(metric, e));
    }

    private String granted(Response response, String metric) {
        int status = response.getStatus();
        if (status == 201 || status == 200) {
            return QuotaClient.body(response).path("id").asText();
        }
        if (status == 409) {
            throw exceeded(QuotaClient.body(response));
        }
        throw new IllegalStateException("quota-service answered " + status + " for " + metric);
    }

    private Uni<String> unavailable(String metric, Throwable cause) {
        if (config.onUnavailable() == QuotaClientConfig.Policy.ALLOW) {
            LOG.warnf(
                    "quota-service unavailable (%s); policy ALLOW lets the write through unreserved",
                    cause.getMessage());
            return Uni.createFrom().nullItem();
        }
        LOG.warnf("quota-service unavailable (%s); refusing the write (policy REJECT)", cause.getMessage());
        return Uni.createFrom()
                .failure(new ProblemException(Problem.of(
                                ProblemType.SERVICE_UNAVAILABLE,
                                "The quota for " + metric
                                        + " could not be checked, and this deployment refuses writes it "
                                        + "cannot check (strata.ingest.quota.on-unavailable=reject). Nothing was written.")
                        .withExtension("metric", metric)));
    }

    private static ProblemException exceeded(JsonNode body) {
        String metric = body.path("metric").asText();
        Problem problem = Problem.of(
                        ProblemType.QUOTA_EXCEEDED,
                        body.path("detail")
                                .asText("The write would exceed the plan's limit for " + metric
                                        + "; nothing was written."))
                .withExtension("metric", metric)
                .withExtension("current", body.path("current").numberValue())
                .withExtension("limit", body.path("limit").numberValue())
                .withExtension("requested", body.path("requested").numberValue())
                .withExtension(
                        "upgrade",
                        body.path("upgrade").isNull()
                                ? null
                                : body.path("upgrade").asText());
        if (body.has("reserved")) {
            problem = problem.withExtension("reserved", body.path("reserved").numberValue());
        }
        return new ProblemException(problem);
    }

    private static final class UnknownYet extends RuntimeException {
        UnknownYet() {
            super("quota-service does not know the group yet", null, false, false);
        }
    }
}
