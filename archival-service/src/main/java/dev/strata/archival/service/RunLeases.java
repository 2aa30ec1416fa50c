package dev.strata.archival.service;

import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.store.RunStore;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps the leases of the runs this replica executes alive, and reports runs whose replica died: at start-up and
 * on every heartbeat tick, a running run whose heartbeat is older than the timeout is marked failed (its
 * unfinished objects are finished by the next run). A run therefore never stays "running" for ever.
 */
@ApplicationScoped
public class RunLeases {

    private static final Logger LOG = Logger.getLogger(RunLeases.class);

    private final Pool pool;
    private final RunStore runs;
    private final ArchivalConfig config;
    private final String owner;
    private final Set<UUID> active = ConcurrentHashMap.newKeySet();

    public RunLeases(Pool pool, RunStore runs, ArchivalConfig config) {
        this.pool = pool;
        this.runs = runs;
        this.config = config;
        this.owner = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This replica's name in {@code archive_runs.owner}. */
    public String owner() {
        return owner;
    }

    Lease begin(UUID runId) {
        active.add(runId);
        return new Lease(runId, owner);
    }

    void end(Lease lease) {
        active.remove(lease.runId());
    }

    void onStart(@Observes StartupEvent event) {
        try {
            reportDead();
        } catch (RuntimeException e) {
            LOG.warnf("Could not check for dead archival runs at start-up: %s", e.getMessage());
        }
    }

    @Scheduled(
            every = "{strata.archival.heartbeat-interval}",
            delayed = "{strata.archival.heartbeat-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        for (UUID runId : active) {
            if (!Db.await(runs.heartbeat(pool, runId, owner))) {
                LOG.warnf("Run %s lost its lease; it stops at its next step", runId);
            }
        }
        reportDead();
    }

    /** Marks runs without a recent heartbeat failed; returns them. */
    public List<UUID> reportDead() {
        List<UUID> dead = Db.await(runs.failStale(pool, config.heartbeatTimeout()));
        if (!dead.isEmpty()) {
            LOG.warnf(
                    "Archival runs %s stopped without finishing (no heartbeat for %s): reported failed",
                    dead, config.heartbeatTimeout());
        }
        return dead;
    }

    /** The pod name on Kubernetes. */
    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "replica" : host;
    }
}
