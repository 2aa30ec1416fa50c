package dev.strata.ingest.quota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reserves a write's quota at quota-service before the write, so that concurrent batches can never overshoot a
 * hard limit together (a check followed by a write could). The reservation's reference is the batch id: it
 * settles when quota-service consumes the batch's {@code batch_import} event. A refusal becomes a
 * {@code quota-exceeded} problem with quota-service's members (metric, current, limit, requested, upgrade);
 * if quota-service cannot be reached, the configured policy decides (fail closed by default) and says so.
 */
@ApplicationScoped
public class QuotaGate {

    private static final Logger LOG = Logger.getLogger(QuotaGate.class);

    private final QuotaClient client;
    private final QuotaConfig config;

    public QuotaGate(@RestClient QuotaClient client, QuotaConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Reservations granted for one write; release them if the write does not commit. */
    public record Granted(UUID groupId, List<String> ids) {

        public static final Granted NONE = new Granted(null, List.of());
    }

    public Uni<Granted> reserve(UUID groupId, UUID reference, QuotaDemand demand) {
        if (!config.enabled() || demand.isEmpty()) {
            return Uni.createFrom().item(Granted.NONE);
        }
        // One call per metric, all at once: each is its own atomic check at quota-service, so their order does
        // not matter, and the write waits one round trip instead of one per metric.
        List<String> granted = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Uni<String>> calls = new ArrayList<>();
        for (Map.Entry<String, Long> need : demand.ordered()) {
            calls.add(reserveOne(groupId, reference, need.getKey(), need.getValue()).invoke(id -> {
                if (id != null) {
                    granted.add(id);
                }
            }));
        }
        return Uni.join().all(calls).andCollectFailures()
                .replaceWith(() -> new Granted(groupId, List.copyOf(granted)))
                .onFailure().transform(QuotaGate::firstProblem)
                .onFailure().call(() -> release(new Granted(groupId, List.copyOf(granted))));
    }

    /** Of several refusals, the first (by metric name) is the one the client hears about. */
    private static Throwable firstProblem(Throwable failure) {
        if (failure instanceof io.smallrye.mutiny.CompositeException composite) {
            return composite.getCauses().stream().filter(ProblemException.class::isInstance).findFirst()
                    .orElse(composite.getCauses().get(0));
        }
        return failure;
    }

    public Uni<Void> release(Granted granted) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String id : granted.ids()) {
            chain = chain.chain(() -> client.release(granted.groupId().toString(), id)
                    .onFailure().invoke(e -> LOG.warnf("Could not release reservation %s (it will expire): %s", id,
                            e.getMessage()))
                    .onFailure().recoverWithNull()
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
                .ifNoItem().after(config.timeout()).fail()
                // quota-service learns of a new group from the stream: a moment after creation it may not know it
                .chain(response -> response.getStatus() == 404
                        ? Uni.createFrom().failure(new UnknownYet())
                        : Uni.createFrom().item(response))
                .onFailure(UnknownYet.class).retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofMillis(500)).expireIn(config.unknownGroupWait().toMillis())
                .map(response -> granted(response, metric))
                .onFailure(e -> !(e instanceof ProblemException)).recoverWithUni(e -> unavailable(metric, e));
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
        if (config.onUnavailable() == QuotaConfig.Policy.ALLOW) {
            LOG.warnf("quota-service unavailable (%s); policy ALLOW lets the write through unreserved",
                    cause.getMessage());
            return Uni.createFrom().nullItem();
        }
        LOG.warnf("quota-service unavailable (%s); refusing the write (policy REJECT)", cause.getMessage());
        return Uni.createFrom().failure(new ProblemException(Problem.of(ProblemType.SERVICE_UNAVAILABLE,
                        "The quota for " + metric + " could not be checked, and this deployment refuses writes it "
                                + "cannot check (strata.ingest.quota.on-unavailable=reject). Nothing was written.")
                .withExtension("metric", metric)));
    }

    private static ProblemException exceeded(JsonNode body) {
        String metric = body.path("metric").asText();
        Problem problem = Problem.of(ProblemType.QUOTA_EXCEEDED, body.path("detail").asText(
                        "The write would exceed the plan's limit for " + metric + "; nothing was written."))
                .withExtension("metric", metric)
                .withExtension("current", body.path("current").numberValue())
                .withExtension("limit", body.path("limit").numberValue())
                .withExtension("requested", body.path("requested").numberValue())
                .withExtension("upgrade", body.path("upgrade").isNull() ? null : body.path("upgrade").asText());
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
