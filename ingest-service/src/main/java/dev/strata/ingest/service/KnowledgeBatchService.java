package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.ingest.client.QuotaDemand;
import dev.strata.ingest.config.IngestConfig;
import dev.strata.ingest.service.BatchExecutor.Answer;
import dev.strata.ingest.service.BatchLimits.Event;
import dev.strata.ingest.store.EventStore;
import dev.strata.ingest.store.KnowledgeStore;
import dev.strata.ingest.store.KnowledgeStore.KnowledgeRow;
import dev.strata.ingest.store.ThingStore;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.KnowledgeCreated;
import dev.strata.model.ids.UuidV7;
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
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stores knowledge about things: labels and chunks of text, each with an optional embedding. Storage counts text
 * bytes (UTF-8) plus 4 bytes per embedding dimension (a {@code real}), which is what each {@code knowledge_created}
 * event carries for quota-service.
 */
@ApplicationScoped
public class KnowledgeBatchService {

    public static final Set<String> KINDS = Set.of("label", "chunk");
    private static final Set<String> FIELDS = Set.of("sourceThingId", "kind", "text", "embedding");

    private final ThingStore things;
    private final KnowledgeStore knowledge;
    private final EventStore eventStore;
    private final OutboxStore outbox;
    private final EventFactory events;
    private final BatchExecutor executor;
    private final BatchLimits limits;
    private final IngestConfig config;
    private final IngestMeters meters;

    public KnowledgeBatchService(
            ThingStore things,
            KnowledgeStore knowledge,
            EventStore eventStore,
            OutboxStore outbox,
            EventFactory events,
            BatchExecutor executor,
            BatchLimits limits,
            IngestConfig config,
            IngestMeters meters) {
        this.things = things;
        this.knowledge = knowledge;
        this.eventStore = eventStore;
        this.outbox = outbox;
        this.events = events;
        this.executor = executor;
        this.limits = limits;
        this.config = config;
        this.meters = meters;
    }

    /** One item that passed the checks that need no database. */
    public record Candidate(
            int index, UUID source, String kind, String text, int textBytes, int dimensions, String embeddingLiteral) {}

    /** Checks one knowledge item as it is parsed. */
    public ItemValidator<Candidate> validator() {
        return this::validate;
    }

    public Uni<Answer> create(UUID groupId, ParsedBatch<Candidate> batch, String idempotencyKey, String requestHash) {
        List<FieldError> errors = new ArrayList<>(batch.errors());
        List<Candidate> candidates =
                batch.items().stream().filter(Objects::nonNull).toList();
        Set<UUID> sources = new HashSet<>();
        for (Candidate candidate : candidates) {
            sources.add(candidate.source());
        }
        limits.rejectIfAtomic(batch.options(), errors);
        limits.rejectIfNoneValid(candidates.size(), errors);
        UUID[] ids = sources.toArray(UUID[]::new);
        UUID batchId = UuidV7.next();
        QuotaDemand demand = QuotaDemand.none()
                .add(
                        QuotaDemand.STORAGE,
                        candidates.stream()
                                .mapToLong(c -> c.textBytes() + 4L * c.dimensions())
                                .sum());
        AtomicInteger written = new AtomicInteger();
        return meters.counting(
                IngestMeters.KNOWLEDGE,
                written::get,
                executor.execute(
                        groupId,
                        idempotencyKey,
                        requestHash,
                        batchId,
                        demand,
                        tx -> things.typesOf(tx, groupId, ids)
                                .chain(known -> write(
                                        tx,
                                        groupId,
                                        batchId,
                                        batch.size(),
                                        candidates,
                                        known.keySet(),
                                        errors,
                                        batch.options(),
                                        written))));
    }

    /** {@code written}: set to the rows inserted, counted once the transaction commits. */
    private Uni<BatchResult> write(
            SqlConnection tx,
            UUID groupId,
            UUID batchId,
            int total,
            List<Candidate> candidates,
            Set<UUID> knownThings,
            List<FieldError> errors,
            BatchOptions options,
            AtomicInteger written) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID[] created = new UUID[total];
        List<KnowledgeRow> rows = new ArrayList<>(candidates.size());
        List<OutboxEvent> facts = new ArrayList<>(candidates.size() + 1);
        for (Candidate c : candidates) {
            if (!knownThings.contains(c.source())) {
                errors.add(FieldError.at(c.index(), "sourceThingId", ConnectionBatchService.NO_SUCH_THING));
                continue;
            }
            UUID id = UuidV7.next();
            created[c.index()] = id;
            rows.add(new KnowledgeRow(id, c.source(), c.kind(), c.text(), c.textBytes(), c.embeddingLiteral()));
            facts.add(events.event(
                    EventType.KNOWLEDGE_CREATED,
                    groupId,
                    now,
                    id,
                    new KnowledgeCreated(
                            id, c.source(), c.kind(), c.text(), c.textBytes(), c.dimensions(), now, batchId)));
        }
        errors.sort(Comparator.comparing(FieldError::index));
        limits.rejectIfAtomic(options, errors);
        limits.rejectIfNoneValid(rows.size(), errors);
        BatchEntry entry = BatchEntry.of(events, groupId, now, batchId, "knowledge", created, errors, null);
        facts.add(entry.event());
        written.set(rows.size());
        return Uni.combine()
                .all()
                .unis(
                        knowledge.insert(tx, groupId, rows, now),
                        eventStore.insertNew(tx, groupId, List.of(entry.logEntry())),
                        outbox.appendEvents(tx, groupId, facts))
                .discardItems()
                .replaceWith(entry.result());
    }

    private Candidate validate(JsonNode item, int index, List<FieldError> errors) {
        if (!ItemErrors.requireObject(item, index, errors)) {
            return null;
        }
        int before = errors.size();
        ItemErrors.rejectUnknownFields(item, FIELDS, index, errors);
        UUID source = ItemErrors.uuid(item, "sourceThingId", true, index, errors);
        String kind = ItemErrors.requiredText(item, "kind", index, errors);
        if (kind != null && !KINDS.contains(kind)) {
            errors.add(FieldError.at(index, "kind", "must be label or chunk"));
        }
        String text = ItemErrors.requiredText(item, "text", index, errors);
        int textBytes = 0;
        if (text != null) {
            textBytes = ItemErrors.utf8Length(text);
            if (text.isBlank()) {
                errors.add(FieldError.at(index, "text", "must not be blank"));
            } else if (textBytes > config.maxKnowledgeTextBytes()) {
                errors.add(FieldError.at(
                        index,
                        "text",
                        "larger than the limit of " + config.maxKnowledgeTextBytes() + " bytes (" + textBytes + ")"));
            }
        }
        JsonNode embedding = item.get("embedding");
        int dimensions = 0;
        String literal = null;
        if (embedding != null && !embedding.isNull()) {
            literal = embeddingLiteral(embedding, index, errors);
            dimensions = embedding.size();
        }
        if (errors.size() != before) {
            return null;
        }
        int bytes = textBytes;
        int dims = dimensions;
        if (!limits.eventFits(
                index,
                "text",
                kind.length() + text.length(),
                0,
                () -> new Event(
                        EventType.KNOWLEDGE_CREATED,
                        BatchLimits.SOME_TIME,
                        BatchLimits.SOME_ID,
                        new KnowledgeCreated(
                                BatchLimits.SOME_ID,
                                source,
                                kind,
                                text,
                                bytes,
                                dims,
                                BatchLimits.SOME_TIME,
                                BatchLimits.SOME_ID)),
                errors)) {
            return null;
        }
        return new Candidate(index, source, kind, text, textBytes, dimensions, literal);
    }

    /** The vector as a {@code real[]} literal, or null after recording why it is not a usable vector. */
    private String embeddingLiteral(JsonNode embedding, int index, List<FieldError> errors) {
        int max = config.maxEmbeddingDimensions();
        if (!embedding.isArray() || embedding.isEmpty() || embedding.size() > max) {
            errors.add(FieldError.at(index, "embedding", "must be an array of 1 to " + max + " numbers"));
            return null;
        }
        StringBuilder literal = new StringBuilder(embedding.size() * 12).append('{');
        for (int d = 0; d < embedding.size(); d++) {
            JsonNode value = embedding.get(d);
            float f = (float) value.asDouble();
            if (!value.isNumber() || !Float.isFinite(f)) {
                errors.add(FieldError.at(
                        index, "embedding[" + d + "]", "must be a number within the range of a" + " 32-bit float"));
                return null;
            }
            literal.append(d == 0 ? "" : ",").append(f);
        }
        return literal.append('}').toString();
    }
}
