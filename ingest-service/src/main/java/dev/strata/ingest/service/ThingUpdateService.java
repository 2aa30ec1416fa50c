package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.ingest.client.QuotaDemand;
import dev.strata.ingest.config.IngestConfig;
import dev.strata.ingest.service.BatchExecutor.Answer;
import dev.strata.ingest.store.EventStore;
import dev.strata.ingest.store.EventStore.EventRow;
import dev.strata.ingest.store.ThingStore;
import dev.strata.ingest.store.ThingStore.ThingRow;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.BatchImported;
import dev.strata.model.events.payload.ThingUpdated;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.problem.FieldError;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxEvent;
import dev.strata.support.outbox.OutboxStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Updates names, properties and statuses in bulk. {@code properties} replaces the whole object. Each thing that
 * really changes gets one {@code thing_updated} event whose {@code changes} hold {@code {field: {from, to}}};
 * an update that changes nothing writes nothing.
 */
@ApplicationScoped
public class ThingUpdateService {

    private static final Set<String> FIELDS = Set.of("id", "name", "properties", "status");

    private final ThingStore things;
    private final EventStore eventStore;
    private final OutboxStore outbox;
    private final EventFactory events;
    private final BatchExecutor executor;
    private final BatchLimits limits;
    private final IngestConfig config;
    private final ThingRules rules;
    private final BatchParser parser;

    public ThingUpdateService(
            ThingStore things,
            EventStore eventStore,
            OutboxStore outbox,
            EventFactory events,
            BatchExecutor executor,
            BatchLimits limits,
            IngestConfig config,
            ThingRules rules,
            BatchParser parser) {
        this.things = things;
        this.eventStore = eventStore;
        this.outbox = outbox;
        this.events = events;
        this.executor = executor;
        this.limits = limits;
        this.config = config;
        this.rules = rules;
        this.parser = parser;
    }

    /**
     * One requested change, validated; null fields are left as they are. New properties are kept as their JSON
     * text and read again, one thing at a time, when compared with the stored ones.
     */
    public record Patch(int index, UUID id, String name, String propertiesJson, int propertiesBytes, String status) {}

    /** The answer: ids in input order (null where the item failed) and how many really changed. */
    @Schema(description = "The answer to a batch of updates", example = """
            {"updated": ["0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6", null, "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f7"],
             "changed": 1, "unchanged": 1, "failed": 1,
             "errors": [{"index": 1, "field": "id", "error": "no such thing in this group"}],
             "summary": {"total": 3, "success": 2, "failed": 1, "successRate": 66.67},
             "batchId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e600", "position": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e601"}""")
    public record UpdateResult(
            @Schema(description = "each item's thing id in input order; null where the item failed")
            List<UUID> updated,

            @Schema(description = "things that changed, each with one thing_updated event")
            int changed,

            @Schema(description = "things the update left as they were (no event)")
            int unchanged,

            int failed,

            @Schema(description = "the failures, by item index (from 0) and field")
            List<FieldError> errors,

            BatchResult.Summary summary,
            UUID batchId,

            @Schema(description = "the id of the batch's last event")
            String position) {}

    /** Checks one update item as it is parsed. */
    public ItemValidator<Patch> validator() {
        return this::validate;
    }

    public Uni<Answer> update(UUID groupId, ParsedBatch<Patch> batch, String idempotencyKey, String requestHash) {
        List<FieldError> errors = new ArrayList<>(batch.errors());
        List<Patch> patches = new ArrayList<>(batch.size());
        Set<UUID> seen = new HashSet<>();
        for (Patch patch : batch.items()) {
            if (patch == null) {
                continue;
            }
            if (!seen.add(patch.id())) {
                errors.add(FieldError.at(patch.index(), "id", "the same thing appears earlier in this batch"));
            } else {
                patches.add(patch);
            }
        }
        errors.sort(Comparator.comparing(FieldError::index));
        limits.rejectIfAtomic(batch.options(), errors);
        limits.rejectIfNoneValid(patches.size(), errors);
        UUID[] ids = patches.stream().map(Patch::id).toArray(UUID[]::new);
        UUID batchId = UuidV7.next();
        // New properties may grow storage; the old sizes are read in the write, so reserve the new sizes in full.
        QuotaDemand demand = QuotaDemand.none()
                .add(
                        QuotaDemand.STORAGE,
                        patches.stream()
                                .filter(p -> p.propertiesJson() != null)
                                .mapToLong(Patch::propertiesBytes)
                                .sum());
        return executor.execute(
                groupId,
                idempotencyKey,
                requestHash,
                batchId,
                demand,
                tx -> things.findAll(tx, groupId, ids, true)
                        .chain(current ->
                                apply(tx, groupId, batchId, batch.size(), patches, current, errors, batch.options())));
    }

    private Uni<UpdateResult> apply(
            SqlConnection tx,
            UUID groupId,
            UUID batchId,
            int total,
            List<Patch> patches,
            Map<UUID, ThingRow> current,
            List<FieldError> errors,
            BatchOptions options) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID[] updated = new UUID[total];
        List<ThingRow> changedRows = new ArrayList<>();
        List<OutboxEvent> facts = new ArrayList<>();
        List<EventRow> log = new ArrayList<>();
        int unchanged = 0;
        for (Patch patch : patches) {
            ThingRow before = current.get(patch.id());
            if (before == null) {
                errors.add(FieldError.at(patch.index(), "id", "no such thing in this group"));
                continue;
            }
            updated[patch.index()] = patch.id();
            Map<String, ThingUpdated.Change> changes = new LinkedHashMap<>();
            String name = before.name();
            String propertiesJson = before.propertiesJson();
            int propertiesBytes = before.propertiesBytes();
            String status = before.status();
            if (patch.name() != null && !patch.name().equals(before.name())) {
                changes.put("name", new ThingUpdated.Change(before.name(), patch.name()));
                name = patch.name();
            }
            if (patch.propertiesJson() != null) {
                JsonNode old = parse(before.propertiesJson());
                JsonNode next = parse(patch.propertiesJson());
                if (!old.equals(SAME_VALUE, next)) {
                    changes.put("properties", new ThingUpdated.Change(old, next));
                    propertiesJson = patch.propertiesJson();
                    propertiesBytes = patch.propertiesBytes();
                }
            }
            if (patch.status() != null && !patch.status().equals(before.status())) {
                changes.put("status", new ThingUpdated.Change(before.status(), patch.status()));
                status = patch.status();
            }
            if (changes.isEmpty()) {
                unchanged++;
                continue;
            }
            ThingUpdated update = new ThingUpdated(
                    before.id(), before.type(), changes, propertiesBytes, before.propertiesBytes(), now, batchId);
            OutboxEvent event = events.event(EventType.THING_UPDATED, groupId, now, before.id(), update);
            // the event holds what it replaces as well: only here, with the stored thing, is its size known
            if (!limits.eventFits(
                    patch.index(), changes.containsKey("properties") ? "properties" : "name", event, errors)) {
                updated[patch.index()] = null;
                continue;
            }
            changedRows.add(new ThingRow(
                    before.id(),
                    groupId,
                    before.type(),
                    name,
                    propertiesJson,
                    propertiesBytes,
                    status,
                    before.createdAt(),
                    now));
            facts.add(event);
            log.add(new EventRow(
                    event.id(), EventType.THING_UPDATED, null, before.id(), now, events.json(update), now));
        }
        errors.sort(Comparator.comparing(FieldError::index));
        limits.rejectIfAtomic(options, errors);

        int applied =
                (int) Arrays.stream(updated).filter(java.util.Objects::nonNull).count();
        limits.rejectIfNoneValid(applied, errors);
        BatchImported summary = new BatchImported(batchId, "thing_updates", total, applied, total - applied, null);
        OutboxEvent batchEvent = events.event(EventType.BATCH_IMPORT, groupId, now, batchId, summary);
        facts.add(batchEvent);
        log.add(new EventRow(batchEvent.id(), EventType.BATCH_IMPORT, null, null, now, events.json(summary), now));
        UpdateResult result = new UpdateResult(
                Arrays.asList(updated),
                changedRows.size(),
                unchanged,
                total - applied,
                errors,
                BatchResult.Summary.of(total, applied),
                batchId,
                batchEvent.id().toString());
        // pipelined on the transaction's connection
        return Uni.combine()
                .all()
                .unis(
                        things.update(tx, groupId, changedRows, now),
                        eventStore.insertNew(tx, groupId, log),
                        outbox.appendEvents(tx, groupId, facts))
                .discardItems()
                .replaceWith(result);
    }

    private Patch validate(JsonNode item, int index, List<FieldError> errors) {
        int before = errors.size();
        if (!ItemErrors.requireObject(item, index, errors)) {
            return null;
        }
        ItemErrors.rejectUnknownFields(item, FIELDS, index, errors);
        UUID id = ItemErrors.uuid(item, "id", true, index, errors);
        String name = ItemErrors.optionalText(item, "name", index, errors);
        if (name != null && (name.isBlank() || name.length() > config.maxNameLength())) {
            errors.add(FieldError.at(
                    index, "name", "must be non-blank and at most " + config.maxNameLength() + " characters"));
        }
        String status = ItemErrors.optionalText(item, "status", index, errors);
        if (status != null && !ThingRules.STATUSES.contains(status)) {
            errors.add(FieldError.at(index, "status", "must be one of draft, active, published, archived"));
        }
        JsonNode properties = item.get("properties");
        String propertiesJson = null;
        int propertiesBytes = 0;
        if (properties != null && !properties.isNull()) {
            if (!properties.isObject()) {
                errors.add(FieldError.at(index, "properties", "must be an object"));
            } else {
                propertiesJson = rules.serialize(properties);
                propertiesBytes = ItemErrors.utf8Length(propertiesJson);
                if (propertiesBytes > config.maxPropertyBytes()) {
                    errors.add(FieldError.at(
                            index,
                            "properties",
                            "larger than the limit of " + config.maxPropertyBytes() + " bytes (" + propertiesBytes
                                    + ")"));
                }
            }
        }
        if (errors.size() == before && name == null && status == null && propertiesJson == null) {
            errors.add(FieldError.at(index, "$", "gives nothing to change (name, properties or status)"));
        }
        return errors.size() == before ? new Patch(index, id, name, propertiesJson, propertiesBytes, status) : null;
    }

    /** Numbers compare by value (the stored {@code 1000} is the sent {@code 1e3}); everything else as JSON does. */
    private static final Comparator<JsonNode> SAME_VALUE =
            (a, b) -> a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    private JsonNode parse(String json) {
        try {
            return parser.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
