package dev.strata.support.metering;

import dev.strata.support.metering.ApiCallAllowance.Allowance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Whether a group may make one more API call this month. Each group's allowance (limit and calls counted by
 * quota-service) is kept for {@code strata.metering.limit.refresh} and read again after that, one request per group
 * at a time; the calls this replica let through since it was read are added to quota-service's count. A call that
 * would reach the limit is refused.
 *
 * <p>How stale it can be: quota-service counts a call once its {@code api_call} event is written (every
 * {@code strata.metering.window}) and consumed, so a group can pass its limit by the calls made in one window plus
 * the consumer's lag plus one refresh, on the other replicas, and by those of the last window before the refresh on
 * this one. The README gives the overshoot measured under a concurrent burst.
 *
 * <p>quota-service away: calls are let through (availability of every tenant's API over exact metering of one), a
 * warning is logged, and the allowance is asked for again after a refresh.
 */
@ApplicationScoped
public class ApiCallLimiter {

    private static final Logger LOG = Logger.getLogger(ApiCallLimiter.class);

    /** One group's allowance as last read, and this replica's calls since. */
    private record Entry(Allowance allowance, long readAtNanos, AtomicLong since) {}

    /** Past this many groups, allowances too old to be used are dropped when one is read. */
    private static final int KEPT_GROUPS = 10_000;

    /** Refused: the limit, the calls counted, and the seconds until the next UTC month. */
    public record Refusal(long limit, long used, long retryAfterSeconds) {}

    private final ApiCallAllowance source;
    private final MeteringConfig config;
    private final Clock clock;
    private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();
    private final Map<UUID, Uni<Entry>> reading = new ConcurrentHashMap<>();
    private final AtomicLong lastWarning =
            new AtomicLong(System.nanoTime() - Duration.ofMinutes(2).toNanos());

    @Inject
    public ApiCallLimiter(ApiCallAllowance source, MeteringConfig config) {
        this(source, config, Clock.systemUTC());
    }

    ApiCallLimiter(ApiCallAllowance source, MeteringConfig config, Clock clock) {
        this.source = source;
        this.config = config;
        this.clock = clock;
    }

    /** Null when the call may go on (and is then counted against the allowance), the refusal otherwise. */
    public Uni<Refusal> admit(UUID groupId) {
        Entry entry = entries.get(groupId);
        Uni<Entry> current = entry != null && fresh(entry) ? Uni.createFrom().item(entry) : read(groupId);
        return current.map(this::decide);
    }

    private Refusal decide(Entry entry) {
        Allowance allowance = entry.allowance();
        if (allowance == null || allowance.limit() == null) {
            return null;
        }
        // Check and count as one step, so that concurrent calls at the edge cannot both take the last one.
        while (true) {
            long since = entry.since().get();
            long used = allowance.used() + since;
            if (used >= allowance.limit()) {
                return new Refusal(allowance.limit(), used, secondsToNextMonth());
            }
            if (entry.since().compareAndSet(since, since + 1)) {
                return null;
            }
        }
    }

    private boolean fresh(Entry entry) {
        return System.nanoTime() - entry.readAtNanos()
                < config.limit().refresh().toNanos();
    }

    /** One read per group at a time: the callers that arrive meanwhile share it. */
    private Uni<Entry> read(UUID groupId) {
        return reading.computeIfAbsent(
                groupId,
                id -> source.of(id)
                        .ifNoItem()
                        .after(config.limit().timeout())
                        .fail()
                        .onFailure()
                        .recoverWithItem(failure -> {
                            warn(id, failure);
                            return null;
                        })
                        .map(allowance -> {
                            if (entries.size() > KEPT_GROUPS) {
                                entries.values().removeIf(old -> !fresh(old));
                            }
                            // A caller that found no fresh entry may start a read just after another read
                            // ended: keep the entry that read put (and the calls it counted) while it is fresh,
                            // or two reads would each let a full allowance through.
                            return entries.compute(
                                    id,
                                    (key, old) -> old != null && fresh(old)
                                            ? old
                                            : new Entry(allowance, System.nanoTime(), new AtomicLong()));
                        })
                        .onTermination()
                        .invoke(() -> reading.remove(id))
                        .memoize()
                        .indefinitely());
    }

    private void warn(UUID groupId, Throwable failure) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > Duration.ofMinutes(1).toNanos() && lastWarning.compareAndSet(last, now)) {
            LOG.warnf(
                    "API-call limits not enforced for now: quota-service did not answer for group %s (%s);"
                            + " calls go through until it does",
                    groupId, failure.toString());
        }
    }

    /** Whole seconds from now to the first instant of the next UTC month, at least 1. */
    long secondsToNextMonth() {
        Instant now = clock.instant();
        Instant next = YearMonth.from(now.atZone(ZoneOffset.UTC))
                .plusMonths(1)
                .atDay(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        Duration left = Duration.between(now, next);
        return Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
    }
}
