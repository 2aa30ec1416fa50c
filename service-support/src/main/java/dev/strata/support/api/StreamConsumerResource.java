package dev.strata.support.api;

import dev.strata.model.events.Topics;
import dev.strata.support.messaging.Quarantine;
import dev.strata.support.messaging.Quarantine.Entry;
import dev.strata.support.messaging.StreamConsumer;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

/**
 * Pauses and resumes a service's event-stream consumer (the {@value #CHANNEL} channel, declared
 * {@code pausable}): for a bulk load on a small deployment, or maintenance. While paused the consumer stays in
 * its Kafka group (no rebalance) and reads nothing; the events wait in the topic and, on resume, are applied in
 * large batches from where it stopped. A replica pauses its own consumer only: pause every replica. Lists the
 * records the consumer quarantined and re-applies one ({@link Quarantine}). Services that consume no stream
 * answer 404. Role {@code admin} only.
 */
@Path("/admin/stream-consumer")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class StreamConsumerResource {

    public static final String CHANNEL = Topics.EVENTS_IN;

    private static final Logger LOG = Logger.getLogger(StreamConsumerResource.class);

    private final ChannelRegistry channels;
    private final StreamConsumer consumer;
    private final Quarantine quarantine;

    public StreamConsumerResource(ChannelRegistry channels, StreamConsumer consumer, Quarantine quarantine) {
        this.channels = channels;
        this.consumer = consumer;
        this.quarantine = quarantine;
    }

    @Schema(description = "Whether this replica's event-stream consumer reads", example = """
            {"channel": "events-in", "paused": false}""")
    public record State(String channel, boolean paused) {}

    @GET
    @Operation(summary = "Whether this replica's event-stream consumer is paused")
    @APIResponse(responseCode = "200", description = "the consumer's state")
    @APIResponse(responseCode = "404", description = "not-found: this service has no pausable event-stream consumer")
    public State state() {
        return new State(CHANNEL, channel().isPaused());
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Stop reading the event stream on this replica (events wait in the topic)")
    @APIResponse(responseCode = "200", description = "paused (or already paused)")
    @APIResponse(responseCode = "404", description = "not-found: this service has no pausable event-stream consumer")
    public State pause() {
        PausableChannel channel = channel();
        if (!channel.isPaused()) {
            channel.pause();
            LOG.infof("Event-stream consumer paused (%s)", CHANNEL);
        }
        return state();
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Read the event stream again from where this replica stopped")
    @APIResponse(responseCode = "200", description = "reading (or already reading)")
    @APIResponse(responseCode = "404", description = "not-found: this service has no pausable event-stream consumer")
    public State resume() {
        PausableChannel channel = channel();
        if (channel.isPaused()) {
            channel.resume();
            LOG.infof("Event-stream consumer resumed (%s)", CHANNEL);
        }
        return state();
    }

    @GET
    @Path("/quarantine")
    @Operation(
            summary = "The records the consumer set aside (rejected_events), newest first; all=true includes"
                    + " those re-applied since")
    @APIResponse(responseCode = "200", description = "the quarantined records, without their bytes")
    @APIResponse(responseCode = "404", description = "not-found: this service consumes no event stream")
    public Uni<List<Entry>> quarantined(@QueryParam("all") String all, @QueryParam("limit") String limit) {
        requireConsumer();
        return quarantine.list(
                PathIds.flag(all, "all", false), (int) PathIds.wholeNumber(limit, "limit", 1, 1000, 100));
    }

    @POST
    @Path("/quarantine/{topic}/{partition}/{offset}/reapply")
    @Operation(
            summary = "Apply a quarantined record now that its cause is fixed (exactly once: 409 if it was"
                    + " re-applied already, 422 with the reason if it still cannot be applied)")
    @APIResponse(responseCode = "200", description = "re-applied: the record as it stands now")
    @APIResponse(responseCode = "404", description = "not-found: no such quarantined record, or no consumer here")
    @APIResponse(responseCode = "409", description = "conflict: the record was re-applied already")
    @APIResponse(responseCode = "422", description = "validation-failed: it still cannot be applied; the reason")
    public Uni<Entry> reapply(
            @PathParam("topic") String topic,
            @PathParam("partition") String partition,
            @PathParam("offset") String offset) {
        requireConsumer();
        return quarantine.reapply(
                PathIds.oneOf(topic, "topic", Set.of(Topics.EVENTS), null),
                (int) PathIds.wholeNumber(partition, "partition", 0, Integer.MAX_VALUE),
                PathIds.wholeNumber(offset, "offset", 0, Long.MAX_VALUE));
    }

    private void requireConsumer() {
        if (!consumer.active()) {
            throw ProblemException.notFound("This service consumes no event stream.");
        }
    }

    private PausableChannel channel() {
        PausableChannel channel = channels.getPausable(CHANNEL);
        if (channel == null) {
            throw ProblemException.notFound("This service has no pausable event-stream consumer.");
        }
        return channel;
    }
}
