package dev.strata.support.messaging;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows, on readiness, how many records the event-stream consumer has set aside and not re-applied. They never
 * make the service unready (the stream goes on past them); an operator or an alert on
 * {@code strata.stream.quarantined} looks at them ({@code GET /admin/stream-consumer/quarantine}).
 */
@Readiness
@ApplicationScoped
public class QuarantineHealth implements AsyncHealthCheck {

    private final StreamConsumer consumer;
    private final Quarantine quarantine;

    public QuarantineHealth(StreamConsumer consumer, Quarantine quarantine) {
        this.consumer = consumer;
        this.quarantine = quarantine;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (!consumer.active()) {
            return Uni.createFrom().item(HealthCheckResponse.up("event-stream-quarantine"));
        }
        return quarantine
                .open()
                .ifNoItem()
                .after(Duration.ofSeconds(2))
                .fail()
                .map(open -> HealthCheckResponse.named("event-stream-quarantine")
                        .up()
                        .withData("quarantined", open)
                        .build())
                .onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named("event-stream-quarantine")
                        .up()
                        .withData("quarantined", "unknown: " + e.getMessage())
                        .build());
    }
}
