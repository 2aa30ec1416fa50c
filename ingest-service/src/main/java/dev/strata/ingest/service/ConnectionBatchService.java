package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.ingest.client.QuotaDemand;
import dev.strata.ingest.config.IngestConfig;
import dev.strata.ingest.service.BatchExecutor.Answer;
import dev.strata.ingest.service.BatchLimits.Event;
import dev.strata.ingest.store.ConnectionStore;
import dev.strata.ingest.store.ConnectionStore.ConnectionRow;
import dev.strata.ingest.store.EventStore;
import dev.strata.ingest.store.ThingStore;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.ConnectionCreated;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.ontology.Ontology;
import dev.strata.model.problem.FieldError;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxEvent;
import dev.strata.support.outbox.OutboxStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates connections in bulk. Both ends must be things of the group (an end in another group is answered
 * exactly like a missing one, so a batch never learns what other tenants hold), the ontology must allow the
 * relationship between their types, and (from, to, type) must be new: a repeat inside the batch or of a stored
 * connection is reported on the item. The unique constraint has the last word, so concurrent batches carrying
 * the same connection create it once.
 */
@ApplicationScoped
public class ConnectionBatchService {

    static final String NO_SUCH_THING = "no such thing in this group";
    static final String ALREADY_EXISTS = "already exists";
    private static final Set<String> FIELDS =
            Set.of("fromThingId", "toThingId", "relationshipType", "metadata", "strength", "validFrom", "validTo");

    private final ThingStore things;
    private final ConnectionStore connections;
    private final EventStore eventStore;
    private final OutboxStore outbox;
    private final EventFactory events;
    private final BatchExecutor executor;
    private final BatchLimits limits;
    private final Ontology ontology;
    private final IngestConfig config;
    private final String longestThingType;
    private final IngestMeters meters;

    public ConnectionBatchService(
            ThingStore things,
            ConnectionStore connections,
            EventStore eventStore,
            OutboxStore outbox,
            EventFactory events,
            BatchExecutor executor,
            BatchLimits limits,
            Ontology ontology,
            IngestConfig config,
            IngestMeters meters) {
        this.things = things;
        this.connections = connections;
        this.eventStore = eventStore;
        this.outbox = outbox;
        this.events = events;
        this.executor = executor;
        this.limits = limits;
        this.ontology = ontology;
        this.config = config;
        this.meters = meters;
        this.longestThingType = ontology.thingTypes().stream()
                .max(Comparator.comparingInt(String::length))
                .orElse("");
    }

    /** One item that passed the checks that need no database; {@code metadata} writes {@code metadataJson}. */
    public record Candidate(
            int index,
            UUID from,
            UUID to,
            String type,
            JsonNode metadata,
            String metadataJson,
            Double strength,
            Instant validFrom,
            Instant validTo) {

        Key key() {
            return new Key(from, to, type);
        }
    }

    record Key(UUID from, UUID to, String type) {}

    /** Checks one connection item as it is parsed. */
    public ItemValidator<Candidate> validator() {
        return this::validate;
    }

    public Uni<Answer> create(UUID groupId, ParsedBatch<Candidate> batch, String idempotencyKey, String requestHash) {
        List<FieldError> errors = new ArrayList<>(batch.errors());
        List<Candidate> candidates =
                batch.items().stream().filter(Objects::nonNull).toList();
        Set<UUID> ends = new HashSet<>();
        for (Candidate candidate : candidates) {
            ends.add(candidate.from());
            ends.add(candidate.to());
        }
        limits.rejectIfAtomic(batch.options(), errors);
        limits.rejectIfNoneValid(candidates.size(), errors);
        UUID[] endIds = ends.toArray(UUID[]::new);
        UUID batchId = UuidV7.next();
        // Reserve for every well-formed item: an upper bound, since ends and duplicates are checked in the write.
        QuotaDemand demand = QuotaDemand.none().add(QuotaDemand.CONNECTIONS, candidates.size());
        AtomicInteger written = new AtomicInteger();
        return meters.counting(
                IngestMeters.CONNECTIONS,
                written::get,
                executor.execute(
                        groupId,
                        idempotencyKey,
                        requestHash,
                        batchId,
                        demand,
                        tx -> things.typesOf(tx, groupId, endIds)
                                .chain(types -> write(
                                        tx,
                                        groupId,
                                        batchId,
                                        batch.size(),
                                        candidates,
                                        types,
                                        errors,
                                        batch.options(),
                                        written))));
    }

    /** {@code written}: set to the rows inserted (duplicates of stored ones are not), counted once committed. */
    private Uni<BatchResult> write(
            SqlConnection tx,
            UUID groupId,
            UUID batchId,
            int total,
            List<Candidate> candidates,
            Map<UUID, String> types,
            List<FieldError> errors,
            BatchOptions options,
            AtomicInteger written) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<Key, Integer> firstIndex = new HashMap<>();
        List<Candidate> accepted = new ArrayList<>(candidates.size());
        List<ConnectionRow> rows = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            String fromType = types.get(c.from());
            String toType = types.get(c.to());
            if (fromType == null || toType == null) {
                if (fromType == null) {
                    errors.add(FieldError.at(c.index(), "fromThingId", NO_SUCH_THING));
                }
                if (toType == null) {
                    errors.add(FieldError.at(c.index(), "toThingId", NO_SUCH_THING));
                }
                continue;
            }
            if (!ontology.mayConnect(c.type(), fromType, toType)) {
                errors.add(FieldError.at(
                        c.index(),
                        "relationshipType",
                        "'" + c.type() + "' may not connect a " + fromType + " to a " + toType));
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(c.key(), c.index());
            if (earlier != null) {
                errors.add(FieldError.at(
                        c.index(), "$", "the same connection appears earlier in this batch (index " + earlier + ")"));
                continue;
            }
            accepted.add(c);
            rows.add(new ConnectionRow(
                    UuidV7.next(),
                    groupId,
                    c.from(),
                    c.to(),
                    c.type(),
                    c.metadataJson(),
                    c.strength(),
                    c.validFrom(),
                    c.validTo(),
                    now));
        }
        limits.rejectIfAtomic(options, sorted(errors));
        limits.rejectIfNoneValid(rows.size(), sorted(errors));
        return connections.insertNew(tx, groupId, rows, now).chain(inserted -> {
            UUID[] created = new UUID[total];
            List<OutboxEvent> facts = new ArrayList<>(inserted.size() + 1);
            for (int i = 0; i < rows.size(); i++) {
                ConnectionRow row = rows.get(i);
                Candidate c = accepted.get(i);
                if (!inserted.contains(row.id())) {
                    errors.add(FieldError.at(c.index(), "$", ALREADY_EXISTS));
                    continue;
                }
                created[c.index()] = row.id();
                facts.add(events.event(
                        EventType.CONNECTION_CREATED,
                        groupId,
                        now,
                        row.id(),
                        new ConnectionCreated(
                                row.id(),
                                row.fromThingId(),
                                types.get(row.fromThingId()),
                                row.toThingId(),
                                types.get(row.toThingId()),
                                row.relationshipType(),
                                c.metadata(),
                                row.strength(),
                                row.validFrom(),
                                row.validTo(),
                                now,
                                batchId)));
            }
            sorted(errors);
            // A stored duplicate only shows at insert: in atomic mode it still rejects the batch, rolling back.
            limits.rejectIfAtomic(options, errors);
            limits.rejectIfNoneValid(inserted.size(), errors);
            written.set(inserted.size());
            BatchEntry entry = BatchEntry.of(events, groupId, now, batchId, "connections", created, errors, null);
            facts.add(entry.event());
            return Uni.combine()
                    .all()
                    .unis(
                            eventStore.insertNew(tx, groupId, List.of(entry.logEntry())),
                            outbox.appendEvents(tx, groupId, facts))
                    .discardItems()
                    .replaceWith(entry.result());
        });
    }

    private Candidate validate(JsonNode item, int index, List<FieldError> errors) {
        if (!ItemErrors.requireObject(item, index, errors)) {
            return null;
        }
        int before = errors.size();
        ItemErrors.rejectUnknownFields(item, FIELDS, index, errors);
        UUID from = ItemErrors.uuid(item, "fromThingId", true, index, errors);
        UUID to = ItemErrors.uuid(item, "toThingId", true, index, errors);
        if (from != null && from.equals(to)) {
            errors.add(FieldError.at(index, "toThingId", "must differ from fromThingId"));
        }
        String type = ItemErrors.requiredText(item, "relationshipType", index, errors);
        if (type != null && !ontology.isKnownConnectionType(type)) {
            errors.add(FieldError.at(index, "relationshipType", "unknown connection type '" + type + "'"));
        }
        String metadata = ItemErrors.optionalObjectJson(item, "metadata", config.maxMetadataBytes(), index, errors);
        Double strength = null;
        JsonNode strengthNode = item.get("strength");
        if (strengthNode != null && !strengthNode.isNull()) {
            if (!strengthNode.isNumber() || strengthNode.asDouble() < 0 || strengthNode.asDouble() > 1) {
                errors.add(FieldError.at(index, "strength", "must be a number from 0 to 1"));
            } else {
                strength = strengthNode.asDouble();
            }
        }
        Instant validFrom = ItemErrors.optionalInstant(item, "validFrom", index, errors);
        Instant validTo = ItemErrors.optionalInstant(item, "validTo", index, errors);
        if (validFrom != null && validTo != null && validFrom.isAfter(validTo)) {
            errors.add(FieldError.at(index, "validTo", "must not be before validFrom"));
        }
        if (errors.size() != before) {
            return null;
        }
        JsonNode written = RawJson.of(metadata);
        Double weight = strength;
        // the ends' thing types are looked up by the write: counted at the longest the ontology has
        if (!limits.eventFits(
                index,
                "metadata",
                type.length() + 2L * longestThingType.length(),
                3L * metadata.length(),
                () -> new Event(
                        EventType.CONNECTION_CREATED,
                        BatchLimits.SOME_TIME,
                        BatchLimits.SOME_ID,
                        new ConnectionCreated(
                                BatchLimits.SOME_ID,
                                from,
                                longestThingType,
                                to,
                                longestThingType,
                                type,
                                written,
                                weight,
                                validFrom,
                                validTo,
                                BatchLimits.SOME_TIME,
                                BatchLimits.SOME_ID)),
                errors)) {
            return null;
        }
        return new Candidate(index, from, to, type, written, metadata, strength, validFrom, validTo);
    }

    /** Errors in item order (static checks run before database checks, but the answer reads top to bottom). */
    private static List<FieldError> sorted(List<FieldError> errors) {
        errors.sort(Comparator.comparing(FieldError::index));
        return errors;
    }
}
