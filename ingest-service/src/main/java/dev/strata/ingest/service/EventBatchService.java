package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.ingest.config.IngestConfig;
import dev.strata.ingest.service.BatchExecutor.Answer;
import dev.strata.ingest.service.BatchLimits.Event;
import dev.strata.ingest.store.EventStore;
import dev.strata.ingest.store.EventStore.EventRow;
import dev.strata.ingest.store.EventStore.Holder;
import dev.strata.ingest.store.ThingStore;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.ActivityRecorded;
import dev.strata.model.events.payload.BatchImported;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.ontology.Ontology;
import dev.strata.model.problem.FieldError;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Records events (revenue, views, logins ...) in the events table. A client-supplied id makes an event idempotent:
 * an id this group already logged with the same type, hot or archived, is a duplicate, answered as a success and
 * written nowhere again (the first write wins; the repeat is not compared with it). Only events that are really new reach the
 * outbox, each as itself (envelope id = event id, time = when it happened), followed by the batch's
 * {@code batch_import} entry; a batch that brings nothing new writes nothing at all.
 */
@ApplicationScoped
public class EventBatchService {

    /** What ingest and the other services emit themselves; a client may not forge them. */
    public static final Set<String> SYSTEM_TYPES = Set.of(
            EventType.THING_CREATED,
            EventType.THING_UPDATED,
            EventType.THING_DELETED,
            EventType.CONNECTION_CREATED,
            EventType.BATCH_IMPORT,
            EventType.KNOWLEDGE_CREATED,
            EventType.GROUP_CREATED,
            EventType.GROUP_PLAN_CHANGED,
            EventType.QUOTA_THRESHOLD_CROSSED,
            EventType.EVENTS_ARCHIVED);

    static final String ID_TAKEN = "id already used";
    private static final Set<String> FIELDS = Set.of("id", "type", "actorId", "targetId", "timestamp", "metadata");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final JsonNode NO_METADATA = JsonNodeFactory.instance.objectNode();

    private final ThingStore things;
    private final EventStore eventStore;
    private final OutboxStore outbox;
    private final EventFactory events;
    private final BatchExecutor executor;
    private final BatchLimits limits;
    private final Ontology ontology;
    private final IngestConfig config;
    private final IngestMeters meters;

    public EventBatchService(
            ThingStore things,
            EventStore eventStore,
            OutboxStore outbox,
            EventFactory events,
            BatchExecutor executor,
            BatchLimits limits,
            Ontology ontology,
            IngestConfig config,
            IngestMeters meters) {
        this.things = things;
        this.eventStore = eventStore;
        this.outbox = outbox;
        this.events = events;
        this.executor = executor;
        this.limits = limits;
        this.ontology = ontology;
        this.config = config;
        this.meters = meters;
    }

    /**
     * The answer: {@code created} holds each item's event id in input order (also for duplicates, whose id is
     * the one already stored) and null where the item failed; {@code duplicates} lists the indexes of items that
     * were already logged. {@code batchId} and {@code position} are null when nothing new was written.
     */
    @Schema(description = "The answer to a batch of events", example = """
            {"created": ["0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6", "5f0c2a9e-1b7d-4c3e-8a6f-2d9b4e7c1a30", null],
             "duplicates": [1], "failed": 1,
             "errors": [{"index": 2, "field": "metadata.currency", "error": "required, a three-letter code such as EUR"}],
             "summary": {"total": 3, "success": 2, "failed": 1, "successRate": 66.67},
             "batchId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e600", "position": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e601"}""")
    public record EventBatchResult(
            @Schema(
                    description = "each item's event id in input order (a duplicate's is the stored one); null "
                            + "where the item failed")
            List<UUID> created,

            @Schema(description = "indexes of items this group had logged already: successes, written nowhere again")
            List<Integer> duplicates,

            int failed,

            @Schema(description = "the failures, by item index (from 0) and field")
            List<FieldError> errors,

            BatchResult.Summary summary,

            @Schema(description = "null when nothing new was written")
            UUID batchId,

            @Schema(description = "the id of the batch's last event; null when nothing new was written")
            String position) {}

    /**
     * One item that passed the checks that need no database; {@code clientId} is null when none was given,
     * {@code timestamp} when the event is dated when it is written; {@code metadata} writes {@code metadataJson}.
     */
    public record Candidate(
            int index,
            UUID clientId,
            String type,
            UUID actorId,
            UUID targetId,
            Instant timestamp,
            JsonNode metadata,
            String metadataJson) {}

    /**
     * Checks one event item as it is parsed. {@code api_call} events count against the group's monthly API-call
     * limit: only a Strata service ({@code service} role) may post them, {@code byService}.
     */
    public ItemValidator<Candidate> validator(boolean byService) {
        return (item, index, errors) -> validate(item, index, errors, byService);
    }

    public Uni<Answer> record(UUID groupId, ParsedBatch<Candidate> batch, String idempotencyKey, String requestHash) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<FieldError> errors = new ArrayList<>(batch.errors());
        List<Candidate> candidates =
                batch.items().stream().filter(Objects::nonNull).toList();
        Set<UUID> thingIds = new HashSet<>();
        for (Candidate candidate : candidates) {
            thingIds.add(candidate.actorId());
            if (candidate.targetId() != null) {
                thingIds.add(candidate.targetId());
            }
        }
        limits.rejectIfAtomic(batch.options(), errors);
        limits.rejectIfNoneValid(candidates.size(), errors);
        UUID[] ids = thingIds.toArray(UUID[]::new);
        AtomicInteger written = new AtomicInteger();
        return meters.counting(
                IngestMeters.EVENTS,
                written::get,
                executor.execute(
                        groupId,
                        idempotencyKey,
                        requestHash,
                        tx -> things.typesOf(tx, groupId, ids)
                                .chain(known -> write(
                                        tx,
                                        groupId,
                                        batch.size(),
                                        candidates,
                                        known.keySet(),
                                        errors,
                                        batch.options(),
                                        now,
                                        written))));
    }

    /** {@code written}: set to the events inserted (duplicates are not), counted once the transaction commits. */
    private Uni<EventBatchResult> write(
            SqlConnection tx,
            UUID groupId,
            int total,
            List<Candidate> candidates,
            Set<UUID> knownThings,
            List<FieldError> errors,
            BatchOptions options,
            Instant now,
            AtomicInteger written) {
        UUID[] created = new UUID[total];
        Set<Integer> duplicates = new TreeSet<>();
        Map<UUID, String> seen = new HashMap<>();
        List<Candidate> fresh = new ArrayList<>(candidates.size());
        List<EventRow> rows = new ArrayList<>(candidates.size());
        List<UUID> clientIds = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            boolean ok = true;
            if (!knownThings.contains(c.actorId())) {
                errors.add(FieldError.at(c.index(), "actorId", ConnectionBatchService.NO_SUCH_THING));
                ok = false;
            }
            if (c.targetId() != null && !knownThings.contains(c.targetId())) {
                errors.add(FieldError.at(c.index(), "targetId", ConnectionBatchService.NO_SUCH_THING));
                ok = false;
            }
            if (!ok) {
                continue;
            }
            UUID id = c.clientId() != null ? c.clientId() : UuidV7.next();
            String earlierType = seen.putIfAbsent(id, c.type());
            if (earlierType != null) {
                // The same client id earlier in this batch: a re-send, as with stored ones, if it is the same kind.
                if (earlierType.equals(c.type())) {
                    created[c.index()] = id;
                    duplicates.add(c.index());
                } else {
                    errors.add(FieldError.at(c.index(), "id", ID_TAKEN));
                }
                continue;
            }
            created[c.index()] = id;
            if (c.clientId() != null) {
                clientIds.add(id);
            }
            fresh.add(c);
            Instant at = c.timestamp() == null ? now : c.timestamp();
            rows.add(new EventRow(id, c.type(), c.actorId(), c.targetId(), at, c.metadataJson(), now));
        }
        sorted(errors);
        limits.rejectIfAtomic(options, errors);
        limits.rejectIfNoneValid(rows.size(), errors);
        return eventStore
                .insertNew(tx, groupId, rows, clientIds.toArray(UUID[]::new))
                .chain(inserted -> {
                    written.set(inserted.size());
                    UUID[] taken = rows.stream()
                            .map(EventRow::id)
                            .filter(id -> !inserted.contains(id))
                            .toArray(UUID[]::new);
                    return eventStore
                            .holders(tx, taken)
                            .chain(holders -> answer(
                                    tx,
                                    groupId,
                                    total,
                                    fresh,
                                    rows,
                                    inserted,
                                    holders,
                                    created,
                                    duplicates,
                                    errors,
                                    options,
                                    now));
                });
    }

    private Uni<EventBatchResult> answer(
            SqlConnection tx,
            UUID groupId,
            int total,
            List<Candidate> fresh,
            List<EventRow> rows,
            Set<UUID> inserted,
            Map<UUID, Holder> holders,
            UUID[] created,
            Set<Integer> duplicates,
            List<FieldError> errors,
            BatchOptions options,
            Instant now) {
        List<EventEnvelope> facts = new ArrayList<>(inserted.size() + 1);
        Set<UUID> taken = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            EventRow row = rows.get(i);
            Candidate c = fresh.get(i);
            if (inserted.contains(row.id())) {
                facts.add(events.create(
                        row.id(),
                        row.type(),
                        groupId,
                        row.timestamp(),
                        row.actorId(),
                        new ActivityRecorded(row.actorId(), row.targetId(), c.metadata(), now)));
                continue;
            }
            Holder holder = holders.get(row.id());
            if (holder != null
                    && holder.groupId().equals(groupId)
                    && holder.type().equals(row.type())) {
                duplicates.add(c.index());
            } else {
                // Held by another group or by another kind of event: say only that the id is taken.
                created[c.index()] = null;
                errors.add(FieldError.at(c.index(), "id", ID_TAKEN));
                taken.add(row.id());
            }
        }
        for (Integer index : List.copyOf(duplicates)) {
            if (taken.contains(created[index])) { // a repeat within the batch of an id another group holds
                duplicates.remove(index);
                created[index] = null;
                errors.add(FieldError.at(index, "id", ID_TAKEN));
            }
        }
        sorted(errors);
        limits.rejectIfAtomic(options, errors);
        int success = inserted.size() + duplicates.size();
        limits.rejectIfNoneValid(success, errors);
        UUID batchId = null;
        String position = null;
        Uni<Void> logged = Uni.createFrom().voidItem();
        if (!inserted.isEmpty()) {
            batchId = UuidV7.next();
            EventEnvelope batchEvent = events.create(
                    EventType.BATCH_IMPORT,
                    groupId,
                    now,
                    batchId,
                    new BatchImported(batchId, "events", total, success, total - success, null));
            facts.add(batchEvent);
            position = batchEvent.id();
            EventRow logEntry = new EventRow(
                    UUID.fromString(batchEvent.id()),
                    EventType.BATCH_IMPORT,
                    null,
                    null,
                    now,
                    batchEvent.data().toString(),
                    now);
            logged =
                    eventStore.insertNew(tx, groupId, List.of(logEntry)).chain(() -> outbox.append(tx, groupId, facts));
        }
        EventBatchResult result = new EventBatchResult(
                Arrays.asList(created),
                List.copyOf(duplicates),
                total - success,
                errors,
                BatchResult.Summary.of(total, success),
                batchId,
                position);
        return logged.replaceWith(result);
    }

    private Candidate validate(JsonNode item, int index, List<FieldError> errors, boolean byService) {
        if (!ItemErrors.requireObject(item, index, errors)) {
            return null;
        }
        int before = errors.size();
        ItemErrors.rejectUnknownFields(item, FIELDS, index, errors);
        UUID clientId = ItemErrors.uuid(item, "id", false, index, errors);
        String type = ItemErrors.requiredText(item, "type", index, errors);
        if (type != null) {
            if (!ontology.isKnownEventType(type)) {
                errors.add(FieldError.at(index, "type", "unknown event type '" + type + "'"));
            } else if (SYSTEM_TYPES.contains(type)) {
                errors.add(FieldError.at(index, "type", "'" + type + "' is written by Strata itself, not by clients"));
            } else if (EventType.API_CALL.equals(type) && !byService) {
                errors.add(FieldError.at(
                        index,
                        "type",
                        "'api_call' counts against the group's API-call limit and"
                                + " is written by Strata's metering; only a service token may post it"));
            }
        }
        UUID actorId = ItemErrors.uuid(item, "actorId", true, index, errors);
        UUID targetId = ItemErrors.uuid(item, "targetId", false, index, errors);
        Instant timestamp = ItemErrors.optionalInstant(item, "timestamp", index, errors);
        if (timestamp != null && timestamp.isAfter(Instant.now().plus(config.maxEventClockSkew()))) {
            errors.add(FieldError.at(
                    index,
                    "timestamp",
                    "more than " + config.maxEventClockSkew().toSeconds() + " seconds in the future"));
        }
        String metadataJson = ItemErrors.optionalObjectJson(item, "metadata", config.maxMetadataBytes(), index, errors);
        if (metadataJson != null && type != null) {
            checkMetadata(type, item.hasNonNull("metadata") ? item.get("metadata") : NO_METADATA, index, errors);
        }
        if (errors.size() != before) {
            return null;
        }
        JsonNode written = RawJson.of(metadataJson);
        if (!limits.eventFits(
                index,
                "metadata",
                type.length(),
                3L * metadataJson.length(),
                () -> new Event(
                        type,
                        timestamp != null ? timestamp : BatchLimits.SOME_TIME,
                        actorId,
                        new ActivityRecorded(actorId, targetId, written, BatchLimits.SOME_TIME)),
                errors)) {
            return null;
        }
        return new Candidate(index, clientId, type, actorId, targetId, timestamp, written, metadataJson);
    }

    /**
     * What consumers rely on: revenue sums {@code amount} per {@code currency}, engagement reads {@code action},
     * quota-service adds an {@code api_call}'s {@code count} to the month's calls. Amounts and counts are bounded
     * (strata.ingest.max-revenue-amount, max-revenue-scale, max-api-call-count), so the consumers' sums stay far
     * from overflowing.
     */
    private void checkMetadata(String type, JsonNode metadata, int index, List<FieldError> errors) {
        if (EventType.REVENUE_GENERATED.equals(type)) {
            JsonNode amount = metadata.get("amount");
            if (amount == null
                    || !amount.isNumber()
                    || amount.decimalValue().signum() < 0
                    || amount.decimalValue().compareTo(config.maxRevenueAmount()) > 0
                    || amount.decimalValue().stripTrailingZeros().scale() > config.maxRevenueScale()) {
                errors.add(FieldError.at(
                        index,
                        "metadata.amount",
                        "required, a number from 0 to "
                                + config.maxRevenueAmount().toPlainString() + " with at most "
                                + config.maxRevenueScale()
                                + " decimals"));
            }
            JsonNode currency = metadata.get("currency");
            if (currency == null
                    || !currency.isTextual()
                    || !CURRENCY.matcher(currency.asText()).matches()) {
                errors.add(FieldError.at(index, "metadata.currency", "required, a three-letter code such as EUR"));
            }
        } else if (EventType.CONTENT_EVENT.equals(type)) {
            JsonNode action = metadata.get("action");
            if (action == null || !action.isTextual() || action.asText().isBlank()) {
                errors.add(FieldError.at(index, "metadata.action", "required, such as viewed, liked or shared"));
            }
        } else if (EventType.API_CALL.equals(type)) {
            JsonNode count = metadata.get("count"); // optional: quota-service counts 1 without it
            if (count != null
                    && !count.isNull()
                    && (!count.isIntegralNumber()
                            || !count.canConvertToLong()
                            || count.asLong() < 0
                            || count.asLong() > config.maxApiCallCount())) {
                errors.add(
                        FieldError.at(index, "metadata.count", "a whole number from 0 to " + config.maxApiCallCount()));
            }
        }
    }

    private static List<FieldError> sorted(List<FieldError> errors) {
        errors.sort(Comparator.comparing(FieldError::index));
        return errors;
    }
}
