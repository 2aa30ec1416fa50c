package dev.strata.archival.service;

import dev.strata.archival.client.QuotaClient;
import dev.strata.archival.client.QuotaClient.GroupRetention;
import dev.strata.archival.client.QuotaClient.RetentionPage;
import dev.strata.archival.config.ArchivalConfig;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * How long each group's events stay hot before a run archives them. In order: the group's override in this
 * service's configuration ({@code strata.archival.group-age-threshold-days."<id>"}); its plan's
 * {@code events_retention_days} with the group's quota override, as quota-service reports it (starter 90, pro 365);
 * the service default ({@code age-threshold-days}, 365) where that is unlimited (enterprise), where quota-service
 * does not know the group yet, or when plan retention is turned off. Read afresh for every run, so a plan change
 * takes effect at the next run.
 *
 * <p>quota-service away is waited for, up to {@code plan-retention.lookup-timeout}; after that the run fails with
 * that reason (the next run tries again) rather than guess a cut-off: guessing short would archive a pro group's
 * events early, guessing long would keep a starter group's events hot against its plan.
 */
@ApplicationScoped
public class RetentionPolicy {

    private static final Logger LOG = Logger.getLogger(RetentionPolicy.class);
    private static final int PAGE = 1_000;

    public static final String OVERRIDE = "override";
    public static final String PLAN = "plan";
    public static final String DEFAULT = "default";

    private final ArchivalConfig config;
    private final QuotaClient quota;

    public RetentionPolicy(ArchivalConfig config, @RestClient QuotaClient quota) {
        this.config = config;
        this.quota = quota;
    }

    /** A group's retention in days and where it comes from: override, plan (with its name) or default. */
    public record Retention(int days, String source, String plan) {}

    /** The retention of every group as of {@code now}; a group not listed has the default. */
    public record Cutoffs(Instant now, int defaultDays, Map<UUID, Retention> groups) {

        public Retention of(UUID groupId) {
            return groups.getOrDefault(groupId, new Retention(defaultDays, DEFAULT, null));
        }

        public Instant cutoff(UUID groupId) {
            return now.minus(of(groupId).days(), ChronoUnit.DAYS);
        }

        public Instant defaultCutoff() {
            return now.minus(defaultDays, ChronoUnit.DAYS);
        }

        /** The latest cut-off of any group: every eligible event is older than this. */
        public Instant latestCutoff() {
            int shortest =
                    groups.values().stream().mapToInt(Retention::days).min().orElse(defaultDays);
            return now.minus(Math.min(shortest, defaultDays), ChronoUnit.DAYS);
        }

        /** The cut-off of each group whose retention is not the default's. */
        public Map<UUID, Instant> nonDefault() {
            Map<UUID, Instant> cutoffs = new HashMap<>();
            groups.forEach((group, retention) -> {
                if (retention.days() != defaultDays) {
                    cutoffs.put(group, now.minus(retention.days(), ChronoUnit.DAYS));
                }
            });
            return cutoffs;
        }
    }

    /** The retention of every group as of {@code now}, for a run over every group. */
    public Uni<Cutoffs> cutoffs(Instant now) {
        return cutoffs(now, planRetention(null, new HashMap<>()));
    }

    /** The same for a question about one group: quota-service is asked about that group alone. */
    public Uni<Cutoffs> cutoffs(Instant now, UUID groupId) {
        return cutoffs(now, quota.retention(groupId, null, 1).map(page -> collect(page, new HashMap<>())));
    }

    private Uni<Cutoffs> cutoffs(Instant now, Uni<Map<UUID, Retention>> lookup) {
        int defaultDays = config.ageThresholdDays();
        Uni<Map<UUID, Retention>> fromPlans = config.planRetention().enabled()
                ? lookup.onFailure(RetentionPolicy::isTransient)
                        .retry()
                        .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10))
                        .expireIn(config.planRetention().lookupTimeout().toMillis())
                        .onFailure()
                        .transform(RetentionPolicy::unavailable)
                : Uni.createFrom().item(new HashMap<>());
        return fromPlans.map(groups -> {
            config.groupAgeThresholdDays()
                    .forEach((group, days) -> groups.put(UUID.fromString(group), new Retention(days, OVERRIDE, null)));
            return new Cutoffs(now, defaultDays, Map.copyOf(groups));
        });
    }

    /** The retention of one group as of now. */
    public Uni<Retention> of(UUID groupId) {
        return cutoffs(Instant.now(), groupId).map(cutoffs -> cutoffs.of(groupId));
    }

    private Uni<Map<UUID, Retention>> planRetention(UUID after, Map<UUID, Retention> found) {
        return quota.retention(null, after, PAGE)
                .chain(page -> page.next() == null
                        ? Uni.createFrom().item(collect(page, found))
                        : planRetention(page.next(), collect(page, found)));
    }

    private Map<UUID, Retention> collect(RetentionPage page, Map<UUID, Retention> found) {
        for (GroupRetention group : page.groups()) {
            int days =
                    group.days() == null ? config.ageThresholdDays() : (int) Math.min(group.days(), Integer.MAX_VALUE);
            found.put(group.groupId(), new Retention(days, group.days() == null ? DEFAULT : PLAN, group.plan()));
        }
        return found;
    }

    /** Connection failures and 5xx pass; a 4xx (a wrong service token, an older quota-service) does not. */
    private static boolean isTransient(Throwable failure) {
        return !(failure instanceof WebApplicationException web)
                || web.getResponse().getStatus() >= 500;
    }

    private static ProblemException unavailable(Throwable failure) {
        LOG.warnf("Group retention unknown: quota-service did not answer: %s", failure.toString());
        return new ProblemException(Problem.of(
                ProblemType.SERVICE_UNAVAILABLE,
                "Each group's retention comes from" + " its plan, and quota-service did not answer ("
                        + failure.getMessage() + "); try again later."));
    }
}
