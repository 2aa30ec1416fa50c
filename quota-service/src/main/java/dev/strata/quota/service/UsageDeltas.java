package dev.strata.quota.service;

import dev.strata.model.events.payload.ApiCallCounted;
import dev.strata.model.events.payload.BatchImported;
import dev.strata.model.events.payload.ConnectionCreated;
import dev.strata.model.events.payload.GroupChanged;
import dev.strata.model.events.payload.KnowledgeCreated;
import dev.strata.model.events.payload.ThingCreated;
import dev.strata.model.events.payload.ThingUpdated;
import dev.strata.model.ontology.Ontology;
import dev.strata.quota.messaging.UsageEventDecoder.UsageEvent;
import dev.strata.quota.store.CounterStore.CounterKey;
import dev.strata.quota.store.CounterStore.DailyKey;
import dev.strata.quota.store.GroupPlanStore.GroupPlan;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a batch of new events changes, summed per key in Java so the database sees one row per counter:
 * <ul>
 *   <li>thing_created: entities_total +1, users +1 for people-like types, storage + propertiesBytes;</li>
 *   <li>thing_updated: storage + (propertiesBytes - previousPropertiesBytes);</li>
 *   <li>knowledge_created: storage + text bytes + 4 bytes per embedding dimension;</li>
 *   <li>connection_created: connections_total +1;</li>
 *   <li>api_call: api_calls_per_month + count, in the UTC month of the event's time;</li>
 *   <li>batch_import: settles the reservations whose reference is its batchId;</li>
 *   <li>group_created, group_plan_changed: the group's plan.</li>
 * </ul>
 * Monthly counters and daily history are recorded only within the {@link RetentionWindow}; running totals always.
 */
public final class UsageDeltas {

    private final SortedMap<CounterKey, Long> counters = new TreeMap<>(CounterKey.ORDER);
    private final SortedMap<DailyKey, Long> daily = new TreeMap<>(DailyKey.ORDER);
    private final Map<UUID, GroupPlan> plans = new HashMap<>();
    private final List<UUID> settledGroups = new ArrayList<>();
    private final List<String> settledReferences = new ArrayList<>();

    private final RetentionWindow window;

    private UsageDeltas(RetentionWindow window) {
        this.window = window;
    }

    public static UsageDeltas of(List<UsageEvent> events, Ontology ontology, RetentionWindow window) {
        UsageDeltas deltas = new UsageDeltas(window);
        for (UsageEvent event : events) {
            deltas.add(event, ontology);
        }
        deltas.counters.values().removeIf(v -> v == 0);
        deltas.daily.values().removeIf(v -> v == 0);
        return deltas;
    }

    public static String periodOf(Metric metric, Instant time) {
        return metric.monthly() ? month(time) : Metric.TOTAL;
    }

    public static String month(Instant time) {
        return YearMonth.from(time.atOffset(ZoneOffset.UTC)).toString();
    }

    private void add(UsageEvent event, Ontology ontology) {
        UUID group = event.event().groupUuid();
        Instant time = event.event().time();
        Object payload = event.payload();
        if (payload instanceof ThingCreated thing) {
            count(group, Metric.ENTITIES_TOTAL, time, 1);
            if (ontology.isPersonLike(thing.type())) {
                count(group, Metric.USERS, time, 1);
            }
            count(group, Metric.STORAGE_GB, time, thing.propertiesBytes());
        } else if (payload instanceof ThingUpdated update) {
            count(group, Metric.STORAGE_GB, time, (long) update.propertiesBytes() - update.previousPropertiesBytes());
        } else if (payload instanceof KnowledgeCreated knowledge) {
            count(group, Metric.STORAGE_GB, time, knowledge.storageBytes());
        } else if (payload instanceof ConnectionCreated) {
            count(group, Metric.CONNECTIONS_TOTAL, time, 1);
        } else if (payload instanceof ApiCallCounted calls) {
            count(group, Metric.API_CALLS_PER_MONTH, time, calls.calls());
        } else if (payload instanceof BatchImported batch) {
            settledGroups.add(group);
            settledReferences.add(batch.batchId().toString());
        } else if (payload instanceof GroupChanged change) {
            GroupPlan next = new GroupPlan(group, change.name(), change.plan(), time);
            plans.merge(
                    group, next, (known, incoming) -> incoming.planAt().isBefore(known.planAt()) ? known : incoming);
        }
    }

    private void count(UUID group, Metric metric, Instant time, long delta) {
        if (delta == 0) {
            return;
        }
        LocalDate day = LocalDate.ofInstant(time, ZoneOffset.UTC);
        if (!window.keeps(day)) {
            if (metric.monthly()) {
                return; // a month already removed, or about to be: recording it would bring it back
            }
        } else {
            daily.merge(new DailyKey(group, metric.key(), day), delta, Math::addExact);
        }
        counters.merge(new CounterKey(group, metric.key(), periodOf(metric, time)), delta, Math::addExact);
    }

    public SortedMap<CounterKey, Long> counters() {
        return counters;
    }

    public SortedMap<DailyKey, Long> daily() {
        return daily;
    }

    public Map<UUID, GroupPlan> plans() {
        return plans;
    }

    public List<UUID> settledGroups() {
        return settledGroups;
    }

    public List<String> settledReferences() {
        return settledReferences;
    }
}
