package dev.strata.archival.service;

import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.store.RunStore;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The in-process daily run, for deployments without the Kubernetes CronJob (which calls
 * {@code POST /archival/runs}; then set {@code strata.archival.schedule.enabled=false}). Every replica fires;
 * the run lease lets one run, and a replica that fires after another's run ended skips it.
 */
@ApplicationScoped
public class ArchivalSchedule {

    private static final Logger LOG = Logger.getLogger(ArchivalSchedule.class);

    private final ArchivalService archival;
    private final RunStore runs;
    private final Pool pool;
    private final ArchivalConfig config;

    public ArchivalSchedule(ArchivalService archival, RunStore runs, Pool pool, ArchivalConfig config) {
        this.archival = archival;
        this.runs = runs;
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(
            identity = "archival-daily",
            cron = "{strata.archival.schedule.cron}",
            skipExecutionIf = Disabled.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> daily() {
        return runs.archiveStartedWithin(pool, config.schedule().minInterval()).chain(recent -> {
            if (recent) {
                LOG.info("Scheduled archival skipped: a run started recently");
                return Uni.createFrom().voidItem();
            }
            return archival.startArchive("schedule")
                    .invoke(started -> LOG.infof(
                            "Scheduled archival: run %s (%s)",
                            started.run().id(), started.created() ? "started" : "already running"))
                    .replaceWithVoid();
        });
    }

    /** Skips the daily run when {@code strata.archival.schedule.enabled} is false. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        private final ArchivalConfig config;

        public Disabled(ArchivalConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.schedule().enabled();
        }
    }
}
