package dev.strata.ingest.service;

import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.ingest.store.GroupStore;
import dev.strata.ingest.store.GroupStore.GroupRow;
import dev.strata.support.outbox.OutboxStore;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.GroupChanged;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.problem.FieldError;
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

    public static final Set<String> PLANS = Set.of("starter", "pro", "enterprise");

    private final Pool pool;
    private final GroupStore groups;
    private final OutboxStore outbox;
    private final EventFactory events;
    private final OutboxRelay relay;

    public GroupService(Pool pool, GroupStore groups, OutboxStore outbox, EventFactory events, OutboxRelay relay) {
        this.pool = pool;
        this.groups = groups;
        this.outbox = outbox;
        this.events = events;
        this.relay = relay;
    }

    public Uni<GroupRow> create(String name, String plan) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank()) {
            errors.add(FieldError.of("name", "required, not blank"));
        } else if (name.length() > 256) {
            errors.add(FieldError.of("name", "longer than 256 characters"));
        }
        String chosen = plan == null ? "starter" : plan;
        if (!PLANS.contains(chosen)) {
            errors.add(FieldError.of("plan", "must be one of starter, pro, enterprise"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("The group is not valid.", errors);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        GroupRow group = new GroupRow(UuidV7.next(), name, chosen, now, now);
        return pool.withTransaction(tx -> groups.insert(tx, group)
                        .chain(() -> outbox.append(tx, group.id(), List.of(events.create(EventType.GROUP_CREATED,
                                group.id(), now, group.id(), new GroupChanged(group.id(), name, chosen, null, now))))))
                .invoke(relay::wake)
                .replaceWith(group);
    }

    public Uni<GroupRow> find(UUID id) {
        return groups.find(pool, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No group " + id + "."));
    }

    /** Changes the plan; the same plan again changes nothing and writes no event. */
    public Uni<GroupRow> changePlan(UUID id, String plan) {
        if (plan == null || !PLANS.contains(plan)) {
            throw ProblemException.validation("Unknown plan.",
                    List.of(FieldError.of("plan", "must be one of starter, pro, enterprise")));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(tx -> groups.findForUpdate(tx, id)
                        .onItem().ifNull().failWith(() -> ProblemException.notFound("No group " + id + "."))
                        .chain(current -> {
                            if (current.plan().equals(plan)) {
                                return Uni.createFrom().item(current);
                            }
                            GroupRow changed = new GroupRow(id, current.name(), plan, current.createdAt(), now);
                            return groups.updatePlan(tx, id, plan, now)
                                    .chain(() -> outbox.append(tx, id, List.of(events.create(
                                            EventType.GROUP_PLAN_CHANGED, id, now, id,
                                            new GroupChanged(id, current.name(), plan, current.plan(), now)))))
                                    .replaceWith(changed);
                        }))
                .invoke(relay::wake);
    }
}
