package dev.strata.support.messaging;

import dev.strata.model.events.Topics;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * Pauses and resumes a service's event-stream consumer (the {@value #CHANNEL} channel, declared
 * {@code pausable}): for a bulk load on a small deployment, or maintenance. While paused the consumer stays in
 * its Kafka group (no rebalance) and reads nothing; the events wait in the topic and, on resume, are applied in
 * large batches from where it stopped. A replica pauses its own consumer only: pause every replica. Services that
 * consume no stream answer 404. Role {@code admin} only.
 */
@Path("/admin/stream-consumer")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class StreamConsumerResource {

    public static final String CHANNEL = Topics.EVENTS_IN;

    private static final Logger LOG = Logger.getLogger(StreamConsumerResource.class);

    private final ChannelRegistry channels;

    public StreamConsumerResource(ChannelRegistry channels) {
        this.channels = channels;
    }

    public record State(String channel, boolean paused) {
    }

    @GET
    @Operation(summary = "Whether this replica's event-stream consumer is paused")
    public State state() {
        return new State(CHANNEL, channel().isPaused());
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Stop reading the event stream on this replica (events wait in the topic)")
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
    public State resume() {
        PausableChannel channel = channel();
        if (channel.isPaused()) {
            channel.resume();
            LOG.infof("Event-stream consumer resumed (%s)", CHANNEL);
        }
        return state();
    }

    private PausableChannel channel() {
        PausableChannel channel = channels.getPausable(CHANNEL);
        if (channel == null) {
            throw ProblemException.notFound("This service has no pausable event-stream consumer.");
        }
        return channel;
    }
}
