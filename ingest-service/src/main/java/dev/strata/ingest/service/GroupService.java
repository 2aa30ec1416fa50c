package dev.strata.ingest.service;

import dev.strata.ingest.client.PlanNames;
import dev.strata.ingest.store.GroupStore;
import dev.strata.ingest.store.GroupStore.GroupRow;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.GroupChanged;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.problem.FieldError;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.support.outbox.OutboxStore;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Groups (tenants): creation and plan changes, each with its event, in one transaction. */
@ApplicationScoped
public class GroupService {

    /** A group created without a plan gets this one (SPEC). */
    public static final String DEFAULT_PLAN = "starter";

    private final Pool pool;
    private final GroupStore groups;
    private final OutboxStore outbox;
    private final EventFactory events;
    private final OutboxRelay relay;
    private final PlanNames plans;

    public GroupService(
            Pool pool, GroupStore groups, OutboxStore outbox, EventFactory events, OutboxRelay relay, PlanNames plans) {
        this.pool = pool;
        this.groups = groups;
        this.outbox = outbox;
        this.events = events;
        this.relay = relay;
        this.plans = plans;
    }

    public Uni<GroupRow> create(String name, String plan) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank()) {
            errors.add(FieldError.of("name", "required, not blank"));
        } else if (name.length() > 256) {
            errors.add(FieldError.of("name", "longer than 256 characters"));
        }
        String chosen = plan == null ? DEFAULT_PLAN : plan;
        return plans.known().chain(known -> {
            if (!known.contains(chosen)) {
                errors.add(unknownPlan(known));
            }
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(ProblemException.validation("The group is not valid.", errors));
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            GroupRow group = new GroupRow(UuidV7.next(), name, chosen, now, now);
            return pool.withTransaction(tx -> groups.insert(tx, group)
                            .chain(() -> outbox.append(
                                    tx,
                                    group.id(),
                                    List.of(events.create(
                                            EventType.GROUP_CREATED,
                                            group.id(),
                                            now,
                                            group.id(),
                                            new GroupChanged(group.id(), name, chosen, null, now))))))
                    .invoke(relay::wake)
                    .replaceWith(group);
        });
    }

    private static FieldError unknownPlan(Set<String> known) {
        return FieldError.of("plan", "must be one of " + String.join(", ", known));
    }

    public Uni<GroupRow> find(UUID id) {
        return groups.find(pool, id)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No group " + id + "."));
    }

    /** Changes the plan; the same plan again changes nothing and writes no event. */
    public Uni<GroupRow> changePlan(UUID id, String plan) {
        return plans.known().chain(known -> {
            if (plan == null || !known.contains(plan)) {
                return Uni.createFrom()
                        .failure(ProblemException.validation("Unknown plan.", List.of(unknownPlan(known))));
            }
            return applyPlan(id, plan);
        });
    }

    private Uni<GroupRow> applyPlan(UUID id, String plan) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(tx -> groups.findForUpdate(tx, id)
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.notFound("No group " + id + "."))
                        .chain(current -> {
                            if (current.plan().equals(plan)) {
                                return Uni.createFrom().item(current);
                            }
                            GroupRow changed = new GroupRow(id, current.name(), plan, current.createdAt(), now);
                            return groups.updatePlan(tx, id, plan, now)
                                    .chain(() -> outbox.append(
                                            tx,
                                            id,
                                            List.of(events.create(
                                                    EventType.GROUP_PLAN_CHANGED,
                                                    id,
                                                    now,
                                                    id,
                                                    new GroupChanged(id, current.name(), plan, current.plan(), now)))))
                                    .replaceWith(changed);
                        }))
                .invoke(relay::wake);
    }
}
