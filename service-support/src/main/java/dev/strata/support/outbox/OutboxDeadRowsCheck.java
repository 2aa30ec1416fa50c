package dev.strata.support.outbox;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Tells an operator that events were set aside in {@code outbox_dead} (Kafka refused them for good): DOWN with
 * how many and since when, until they are dealt with (README, "Outbox"). A wellness check
 * ({@code /q/health/well}): the service itself is fine, so liveness and readiness never look at it.
 */
@Wellness
@ApplicationScoped
public class OutboxDeadRowsCheck implements AsyncHealthCheck {

    private final Pool pool;
    private final OutboxStore outbox;

    public OutboxDeadRowsCheck(Pool pool, OutboxStore outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return outbox.deadRows(pool).map(dead -> {
            var response = HealthCheckResponse.named("Outbox events refused by Kafka (outbox_dead)")
                    .status(dead.count() == 0)
                    .withData("rows", dead.count());
            return (dead.oldest() == null
                            ? response
                            : response.withData("oldest", dead.oldest().toString()))
                    .build();
        });
    }
}
