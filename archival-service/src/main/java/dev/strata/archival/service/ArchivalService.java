package dev.strata.archival.service;

import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.service.RetentionPolicy.Cutoffs;
import dev.strata.archival.service.RetentionPolicy.Retention;
import dev.strata.archival.store.ArchiveRun;
import dev.strata.archival.store.ArchiveRunRepository;
import dev.strata.archival.store.ArchivedObjectStore;
import dev.strata.archival.store.ArchivedObjectStore.Totals;
import dev.strata.archival.store.EventRow;
import dev.strata.archival.store.EventStore;
import dev.strata.archival.store.RunStore;
import dev.strata.archival.store.RunStore.BatchRow;
import dev.strata.archival.store.RunStore.GroupRunRow;
import dev.strata.archival.store.RunStore.ListedRun;
import dev.strata.archival.store.RunStore.NewRun;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Starting runs and reading their state. Starting takes the one run lease in a transaction that first reports
 * dead runs, so concurrent triggers on any number of replicas agree on a single running run.
 */
@ApplicationScoped
public class ArchivalService {

    private final Pool pool;
    private final Pool eventsPool;
    private final RunStore runs;
    private final ArchiveRunRepository runRepository;
    private final ArchivedObjectStore objects;
    private final EventStore eventStore;
    private final ArchiveRunner runner;
    private final RunLeases leases;
    private final RetentionPolicy retention;
    private final ArchivalConfig config;

    public ArchivalService(
            Pool pool,
            @ReactiveDataSource("events") Pool eventsPool,
            RunStore runs,
            ArchiveRunRepository runRepository,
            ArchivedObjectStore objects,
            EventStore eventStore,
            ArchiveRunner runner,
            RunLeases leases,
            RetentionPolicy retention,
            ArchivalConfig config) {
        this.pool = pool;
        this.eventsPool = eventsPool;
        this.runs = runs;
        this.runRepository = runRepository;
        this.objects = objects;
        this.eventStore = eventStore;
        this.runner = runner;
        this.leases = leases;
        this.retention = retention;
        this.config = config;
    }

    /** The run a trigger got, and whether the trigger started it or found it running. */
    public record Started(ArchiveRun run, boolean created) {}

    /** {@code POST /archival/runs} and the schedule: a run over every group, or the one already running. */
    public Uni<Started> startArchive(String trigger) {
        return start(new NewRun(
                        UuidV7.next(),
                        RunStore.ARCHIVE,
                        trigger,
                        null,
                        config.ageThresholdDays(),
                        leases.owner(),
                        null,
                        null))
                .invoke(this::submitIfCreated);
    }

    /** A manual run for one group with its own cut-off; refused while a different run is active. */
    public Uni<Started> startGroupArchive(UUID groupId, int daysCutoff) {
        return start(new NewRun(
                        UuidV7.next(), RunStore.ARCHIVE, "group", groupId, daysCutoff, leases.owner(), null, null))
                .invoke(started -> {
                    ArchiveRun run = started.run();
                    boolean same = RunStore.ARCHIVE.equals(run.kind())
                            && groupId.equals(run.groupId())
                            && Integer.valueOf(daysCutoff).equals(run.daysCutoff());
                    if (!started.created() && !same) {
                        throw busy(run);
                    }
                })
                .invoke(this::submitIfCreated);
    }

    /** The lease for a restore, which runs in the caller's thread; refused while another run is active. */
    Uni<ArchiveRun> startRestore(UUID groupId, Instant from, Instant to) {
        return start(new NewRun(UuidV7.next(), RunStore.RESTORE, "restore", groupId, null, leases.owner(), from, to))
                .map(started -> {
                    if (!started.created()) {
                        throw busy(started.run());
                    }
                    return started.run();
                });
    }

    private void submitIfCreated(Started started) {
        if (started.created()) {
            runner.submit(started.run());
        }
    }

    private Uni<Started> start(NewRun candidate) {
        return pool.withTransaction(tx -> runs.failStale(tx, config.heartbeatTimeout())
                        .chain(() -> runs.findRunning(tx))
                        .chain(existing -> existing != null
                                ? Uni.createFrom().item(new Started(existing, false))
                                : runs.insertRunning(tx, candidate)
                                        .chain(inserted -> inserted
                                                ? runs.find(tx, candidate.id()).map(run -> new Started(run, true))
                                                : runs.findRunning(tx).map(run -> new Started(run, false)))))
                .invoke(started -> {
                    if (started.run() == null) { // the winner of a race finished already: rare, retry is safe
                        throw ProblemException.of(
                                ProblemType.CONFLICT, "Another archival run started and ended meanwhile; try again.");
                    }
                });
    }

    private static ProblemException busy(ArchiveRun active) {
        return new ProblemException(Problem.of(
                        ProblemType.CONFLICT,
                        "Archival run " + active.id() + " (" + active.kind()
                                + ") is in progress; only one run at a time. Try again when it has ended.")
                .withExtension("activeRunId", active.id().toString()));
    }

    /** A run with what it did so far. */
    public record RunDetails(ArchiveRun run, List<BatchRow> batches, boolean stale) {}

    public Uni<RunDetails> run(UUID id) {
        return runRepository.findRun(id).chain(run -> {
            if (run == null) {
                return Uni.createFrom().failure(ProblemException.notFound("No archival run " + id + "."));
            }
            boolean stale = run.running()
                    && run.heartbeatAt() != null
                    && run.heartbeatAt().isBefore(Instant.now().minus(config.heartbeatTimeout()));
            return runs.batches(pool, id).map(batches -> new RunDetails(run, batches, stale));
        });
    }

    /**
     * What {@code GET /archival/status} reports. {@code retention}: the group's (with {@code groupId}), or the
     * default's; {@code cutoff}: the time before which its events are eligible; {@code groupsByRetention}: without
     * {@code groupId}, how many known groups have each retention (days).
     */
    public record Status(
            UUID groupId,
            long eligible,
            Totals archived,
            Retention retention,
            Instant cutoff,
            Map<Integer, Long> groupsByRetention,
            long storageSaved,
            double hoursToArchiveAll,
            ArchiveRun activeRun,
            ArchiveRun lastRun) {}

    public Uni<Status> status(UUID groupId) {
        Instant now = Instant.now();
        Uni<Cutoffs> lookup = groupId == null ? retention.cutoffs(now) : retention.cutoffs(now, groupId);
        return lookup.chain(cutoffs -> {
            Retention shown = groupId == null
                    ? new Retention(cutoffs.defaultDays(), RetentionPolicy.DEFAULT, null)
                    : cutoffs.of(groupId);
            Instant cutoff = groupId == null ? cutoffs.defaultCutoff() : cutoffs.cutoff(groupId);
            Uni<Long> eligible = groupId != null
                    ? eventStore.countBefore(eventsPool, groupId, cutoff)
                    : eventStore.countEligible(eventsPool, cutoff, cutoffs.nonDefault());
            Map<Integer, Long> byRetention = groupId != null
                    ? null
                    : cutoffs.groups().values().stream()
                            .collect(Collectors.groupingBy(Retention::days, TreeMap::new, Collectors.counting()));
            return Uni.combine()
                    .all()
                    .unis(
                            eligible,
                            objects.totals(pool, groupId),
                            eventStore.averageRowBytes(eventsPool, groupId),
                            runs.recentThroughput(pool),
                            runRepository.activeAndLast(RunStore.ARCHIVE))
                    .with((count, totals, rowBytes, throughput, latest) -> {
                        double perSecond = throughput[1] > 0 && throughput[0] > 0
                                ? throughput[0] / throughput[1]
                                : config.estimatedEventsPerSecond();
                        double hours = Math.round(count / perSecond / 3600.0 * 100.0) / 100.0;
                        return new Status(
                                groupId,
                                count,
                                totals,
                                shown,
                                cutoff,
                                byRetention,
                                Math.round(count * rowBytes),
                                hours,
                                latest.active(),
                                latest.last());
                    });
        });
    }

    /**
     * The events a run would take: older than {@code before}, or than each group's cut-off when absent;
     * {@code cutoffs}: the cut-off of each group among {@code events} (the one {@code before} sets, if given).
     */
    public record Eligible(Instant before, Map<UUID, Instant> cutoffs, List<EventRow> events, boolean hasMore) {}

    public Uni<Eligible> eligible(UUID groupId, Instant before, int limit) {
        if (before != null) { // a cut-off of the caller's: no group's retention is needed
            Uni<List<EventRow>> events = groupId != null
                    ? eventStore.page(eventsPool, groupId, before, null, null, limit + 1)
                    : eventStore.eligible(eventsPool, before, Map.of(), limit + 1);
            return events.map(rows -> eligible(before, rows, limit, group -> before));
        }
        Instant now = Instant.now();
        Uni<Cutoffs> lookup = groupId == null ? retention.cutoffs(now) : retention.cutoffs(now, groupId);
        return lookup.chain(cutoffs -> {
            Instant shownBefore = groupId != null ? cutoffs.cutoff(groupId) : cutoffs.defaultCutoff();
            Uni<List<EventRow>> events = groupId != null
                    ? eventStore.page(eventsPool, groupId, shownBefore, null, null, limit + 1)
                    : eventStore.eligible(eventsPool, shownBefore, cutoffs.nonDefault(), limit + 1);
            return events.map(rows -> eligible(shownBefore, rows, limit, cutoffs::cutoff));
        });
    }

    /** The first {@code limit} rows, with the cut-off of each group among them. */
    private static Eligible eligible(Instant before, List<EventRow> rows, int limit, Function<UUID, Instant> cutoff) {
        List<EventRow> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
        Map<UUID, Instant> groupCutoffs = new TreeMap<>();
        for (EventRow row : shown) {
            groupCutoffs.computeIfAbsent(row.groupId(), cutoff);
        }
        return new Eligible(before, groupCutoffs, shown, rows.size() > limit);
    }

    /** The latest {@code limit} archive runs, newest first, with what each put in the archive. */
    public Uni<List<ListedRun>> latestRuns(int limit) {
        return runs.latestArchiveRuns(pool, limit);
    }

    /** The latest {@code limit} archive runs that archived events of the group, with its part of each. */
    public Uni<List<GroupRunRow>> runsOfGroup(UUID groupId, int limit) {
        return runs.archiveRunsOfGroup(pool, groupId, limit);
    }

    /** The days of a group's retention, as a run would apply them now. */
    public Uni<Integer> retentionDays(UUID groupId) {
        return retention.of(groupId).map(Retention::days);
    }
}
