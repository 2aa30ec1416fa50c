package dev.strata.ingest.service;

import dev.strata.ingest.client.QuotaDemand;
import dev.strata.ingest.service.BatchExecutor.Answer;
import dev.strata.ingest.service.ThingRules.NewThing;
import dev.strata.ingest.store.EventStore;
import dev.strata.ingest.store.EventStore.EventRow;
import dev.strata.ingest.store.ThingStore;
import dev.strata.ingest.store.ThingStore.ThingRow;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.ThingCreated;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.ontology.Ontology;
import dev.strata.model.problem.FieldError;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxEvent;
import dev.strata.support.outbox.OutboxStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Creates things in bulk: every item is validated on its own, all valid ones are written in one transaction
 * together with one {@code thing_created} event each and the batch's single {@code batch_import} entry.
 */
@ApplicationScoped
public class ThingBatchService {

    private final ThingRules rules;
    private final ThingStore things;
    private final EventStore eventStore;
    private final OutboxStore outbox;
    private final EventFactory events;
    private final BatchExecutor executor;
    private final BatchLimits limits;
    private final Ontology ontology;
    private final IngestMeters meters;

    public ThingBatchService(
            ThingRules rules,
            ThingStore things,
            EventStore eventStore,
            OutboxStore outbox,
            EventFactory events,
            BatchExecutor executor,
            BatchLimits limits,
            Ontology ontology,
            IngestMeters meters) {
        this.rules = rules;
        this.things = things;
        this.eventStore = eventStore;
        this.outbox = outbox;
        this.events = events;
        this.executor = executor;
        this.limits = limits;
        this.ontology = ontology;
        this.meters = meters;
    }

    /** Checks one thing item as it is parsed. */
    public ItemValidator<NewThing> validator() {
        return rules::validate;
    }

    public Uni<Answer> create(UUID groupId, ParsedBatch<NewThing> batch, String idempotencyKey, String requestHash) {
        Prepared prepared = prepare(groupId, batch, UuidV7.next());
        return meters.counting(
                IngestMeters.THINGS,
                prepared.rows()::size,
                executor.execute(
                        groupId,
                        idempotencyKey,
                        requestHash,
                        prepared.result().batchId(),
                        demand(prepared),
                        tx -> write(tx, groupId, prepared).replaceWith(prepared.result())));
    }

    /** What the batch adds to the group's metered usage: things, people among them, properties bytes. */
    public QuotaDemand demand(Prepared prepared) {
        long people = prepared.rows().stream()
                .filter(row -> ontology.isPersonLike(row.type()))
                .count();
        long bytes =
                prepared.rows().stream().mapToLong(ThingRow::propertiesBytes).sum();
        return QuotaDemand.none()
                .add(QuotaDemand.ENTITIES, prepared.rows().size())
                .add(QuotaDemand.USERS, people)
                .add(QuotaDemand.STORAGE, bytes);
    }

    /** Builds everything a checked batch writes, before any transaction is open. */
    Prepared prepare(UUID groupId, ParsedBatch<NewThing> batch, UUID batchId) {
        limits.rejectIfAtomic(batch.options(), batch.errors());
        limits.rejectIfNoneValid((int) batch.validCount(), batch.errors());
        return build(groupId, batch.items(), batch.options(), batch.errors(), batchId, null);
    }

    /**
     * Builds one chunk of an import job. Unlike a batch, a chunk in which no item is valid is not refused: its
     * failures are counted and the import goes on. {@code errors} carry the items' places in the whole import.
     */
    public Prepared prepareChunk(
            UUID groupId,
            List<NewThing> items,
            List<FieldError> errors,
            BatchOptions options,
            UUID batchId,
            UUID importJobId) {
        List<FieldError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing(FieldError::index)); // stable: an item's errors keep their order
        return build(groupId, items, options, sorted, batchId, importJobId);
    }

    private Prepared build(
            UUID groupId,
            List<NewThing> valid,
            BatchOptions options,
            List<FieldError> errors,
            UUID batchId,
            UUID importJobId) {
        int total = valid.size();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID[] created = new UUID[total];
        List<ThingRow> rows = new ArrayList<>(total);
        List<NewThing> kept = new ArrayList<>(total);
        UUID[] eventIds = new UUID[total];
        for (int i = 0; i < total; i++) {
            if (valid.get(i) == null) {
                continue;
            }
            NewThing thing = valid.get(i).withStatus(options.defaultStatus());
            UUID id = UuidV7.next();
            created[i] = id;
            eventIds[rows.size()] = UuidV7.next(); // ids now, in the order they always had; JSON when written
            rows.add(new ThingRow(
                    id,
                    groupId,
                    thing.type(),
                    thing.name(),
                    thing.propertiesJson(),
                    thing.propertiesBytes(),
                    thing.status(),
                    now,
                    now));
            kept.add(thing);
        }
        BatchEntry entry = BatchEntry.of(events, groupId, now, batchId, "things", created, errors, importJobId);
        Supplier<List<OutboxEvent>> facts = () -> {
            List<OutboxEvent> out = new ArrayList<>(rows.size() + 1);
            for (int i = 0; i < rows.size(); i++) {
                UUID id = rows.get(i).id();
                NewThing thing = kept.get(i);
                out.add(events.event(
                        eventIds[i],
                        EventType.THING_CREATED,
                        groupId,
                        now,
                        id,
                        new ThingCreated(
                                id,
                                thing.type(),
                                thing.name(),
                                thing.status(),
                                thing.properties(),
                                thing.propertiesBytes(),
                                now,
                                batchId)));
            }
            out.add(entry.event());
            return out;
        };
        return new Prepared(rows, facts, entry.logEntry(), entry.result(), now);
    }

    /**
     * The three statements go out pipelined on the transaction's connection: one round trip, not three. The
     * events' JSON (most of a big batch's CPU) is written on a worker thread while PostgreSQL already inserts the
     * things, and their insert follows as soon as it is ready.
     */
    public Uni<Void> write(SqlConnection tx, UUID groupId, Prepared prepared) {
        return Uni.combine()
                .all()
                .unis(
                        things.insert(tx, groupId, prepared.rows(), prepared.createdAt()),
                        eventStore.insertNew(tx, groupId, List.of(prepared.logEntry())),
                        Uni.createFrom()
                                .item(prepared.events())
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                                .chain(facts -> outbox.appendEvents(tx, groupId, facts)))
                .discardItems();
    }

    /**
     * A validated batch, ready to write.
     *
     * @param events writes the batch's events (thing_created each, then the batch_import) as outbox JSON
     */
    public record Prepared(
            List<ThingRow> rows,
            Supplier<List<OutboxEvent>> events,
            EventRow logEntry,
            BatchResult result,
            Instant createdAt) {}
}
