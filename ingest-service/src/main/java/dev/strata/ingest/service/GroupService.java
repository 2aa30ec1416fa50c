package dev.strata.ingest.service;

import dev.strata.ingest.client.PlanNames;
import dev.strata.ingest.store.GroupEntity;
import dev.strata.ingest.store.GroupRepository;
import dev.strata.ingest.store.SessionOutbox;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.GroupChanged;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.problem.FieldError;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Groups (tenants): creation and plan changes, each with its event, in one transaction (Panache's, the outbox row
 * written through the same session: {@link SessionOutbox}). The plan is checked against quota-service's list
 * before the transaction opens.
 */
@ApplicationScoped
public class GroupService {

    /** A group created without a plan gets this one (SPEC). */
    public static final String DEFAULT_PLAN = "starter";

    private final GroupRepository groups;
    private final SessionOutbox outbox;
    private final EventFactory events;
    private final OutboxRelay relay;
    private final PlanNames plans;

    public GroupService(
            GroupRepository groups, SessionOutbox outbox, EventFactory events, OutboxRelay relay, PlanNames plans) {
        this.groups = groups;
        this.outbox = outbox;
        this.events = events;
        this.relay = relay;
        this.plans = plans;
    }

    public Uni<GroupEntity> create(String name, String plan) {
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
            GroupEntity group = new GroupEntity();
            group.id = UuidV7.next();
            group.name = name;
            group.plan = chosen;
            group.createdAt = now;
            group.updatedAt = now;
            return Panache.withTransaction(() -> groups.persist(group)
                            .chain(() -> outbox.append(
                                    group.id,
                                    List.of(events.create(
                                            EventType.GROUP_CREATED,
                                            group.id,
                                            now,
                                            group.id,
                                            new GroupChanged(group.id, name, chosen, null, now))))))
                    .invoke(relay::wake)
                    .replaceWith(group);
        });
    }

    private static FieldError unknownPlan(Set<String> known) {
        return FieldError.of("plan", "must be one of " + String.join(", ", known));
    }

    public Uni<GroupEntity> find(UUID id) {
        return groups.find(id).onItem().ifNull().failWith(() -> ProblemException.notFound("No group " + id + "."));
    }

    /** Changes the plan; the same plan again changes nothing and writes no event. */
    public Uni<GroupEntity> changePlan(UUID id, String plan) {
        return plans.known().chain(known -> {
            if (plan == null || !known.contains(plan)) {
                return Uni.createFrom()
                        .failure(ProblemException.validation("Unknown plan.", List.of(unknownPlan(known))));
            }
            return applyPlan(id, plan);
        });
    }

    private Uni<GroupEntity> applyPlan(UUID id, String plan) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> groups.findForUpdate(id)
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.notFound("No group " + id + "."))
                        .chain(group -> {
                            if (group.plan.equals(plan)) {
                                return Uni.createFrom().item(group);
                            }
                            String previous = group.plan;
                            group.plan = plan;
                            group.updatedAt = now;
                            return outbox.append(
                                            id,
                                            List.of(events.create(
                                                    EventType.GROUP_PLAN_CHANGED,
                                                    id,
                                                    now,
                                                    id,
                                                    new GroupChanged(id, group.name, plan, previous, now))))
                                    .replaceWith(group);
                        }))
                .invoke(relay::wake);
    }
}
