package dev.strata.support.messaging;

import dev.strata.model.problem.ProblemType;
import dev.strata.support.messaging.StreamFailures.Verdict;
import dev.strata.support.messaging.StreamHandler.Decoding;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The records a consumer set aside ({@code rejected_events}): listed for operators, and re-applied one at a time
 * once the cause is fixed (a deployment that reads the payload, a limit raised). A re-apply goes through the
 * service's own handler in one transaction that also marks the record re-applied, so it counts once however many
 * times it is asked for, and an event the stream applied in the meantime is recognised by its id.
 */
@ApplicationScoped
public class Quarantine {

    private final StreamConsumer consumer;
    private final ConsumerLog log;

    public Quarantine(StreamConsumer consumer, ConsumerLog log) {
        this.consumer = consumer;
        this.log = log;
    }

    /** One quarantined record, without its bytes ({@code excerpt}: its first characters). */
    @Schema(description = "A record the consumer set aside, with why", example = """
            {"topic": "strata.events", "partition": 3, "offset": 18211, "eventId": "5f0c6a53-8f2e-4a55-9d3e-1b7f0f1c2a10",
             "kind": "unreadable", "reason": "payload of thing_created has no field 'thingId'", "bytes": 412,
             "rejectedAt": "2026-12-03T10:15:30Z", "reappliedAt": null,
             "excerpt": "{\\"specversion\\":\\"1.0\\",\\"type\\":\\"thing_created\\"..."}""")
    public record Entry(
            String topic,
            int partition,
            long offset,
            String eventId,
            String kind,
            String reason,
            Integer bytes,
            Instant rejectedAt,
            Instant reappliedAt,
            String excerpt) {}

    private static final String ENTRY = """
            SELECT topic, kafka_partition, kafka_offset, event_id, kind, reason, octet_length(record), rejected_at,
                   reapplied_at, left(payload, 512)
            FROM rejected_events""";

    /** The records still set aside (with {@code includeReapplied}, those re-applied too), newest first. */
    public Uni<List<Entry>> list(boolean includeReapplied, int limit) {
        return consumer.pool()
                .preparedQuery(ENTRY + """
                         WHERE $1 OR reapplied_at IS NULL
                        ORDER BY rejected_at DESC, topic, kafka_partition, kafka_offset LIMIT $2""")
                .execute(Tuple.of(includeReapplied, limit))
                .map(rows -> {
                    List<Entry> entries = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        entries.add(entry(row));
                    }
                    return entries;
                });
    }

    private Uni<Entry> find(String topic, int partition, long offset) {
        return consumer.pool()
                .preparedQuery(ENTRY + " WHERE topic = $1 AND kafka_partition = $2 AND kafka_offset = $3")
                .execute(Tuple.of(topic, partition, offset))
                .map(rows -> entry(rows.iterator().next()));
    }

    private static Entry entry(Row row) {
        return new Entry(
                row.getString(0),
                row.getInteger(1),
                row.getLong(2),
                row.getString(3),
                row.getString(4),
                row.getString(5),
                row.getInteger(6),
                instant(row.getOffsetDateTime(7)),
                instant(row.getOffsetDateTime(8)),
                row.getString(9));
    }

    /** Records still set aside, for health. */
    public Uni<Long> open() {
        return consumer.pool()
                .query("SELECT count(*) FROM rejected_events WHERE reapplied_at IS NULL")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Applies a quarantined record now. 404 when there is no such record, 409 when it was re-applied already,
     * 422 with the reason when it still cannot be applied (the reason is updated), 503 when the database is away.
     */
    public Uni<Entry> reapply(String topic, int partition, long offset) {
        StreamHandler<Object, Object> handler = consumer.handler();
        return consumer.pool()
                .preparedQuery("""
                        SELECT record_key, record, reapplied_at, rejected_at FROM rejected_events
                        WHERE topic = $1 AND kafka_partition = $2 AND kafka_offset = $3""")
                .execute(Tuple.of(topic, partition, offset))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        throw ProblemException.notFound(
                                "No quarantined record " + topic + "-" + partition + "@" + offset + ".");
                    }
                    Row row = it.next();
                    if (row.getValue(2) != null) {
                        throw ProblemException.of(ProblemType.CONFLICT, "The record was re-applied already.");
                    }
                    if (row.getBuffer(1) == null) {
                        throw ProblemException.of(
                                ProblemType.CONFLICT,
                                "The record was set aside before its bytes"
                                        + " were kept; it cannot be re-applied from here.");
                    }
                    return new StreamRecord(
                            topic,
                            partition,
                            offset,
                            row.getString(0),
                            row.getOffsetDateTime(3).toInstant(),
                            row.getBuffer(1).getBytes());
                })
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(record -> {
                    Decoding<Object> decoding = handler.decode(List.of(record));
                    if (!decoding.rejected().isEmpty()) {
                        return stillRefused(decoding.rejected().get(0));
                    }
                    return consumer.pool()
                            .withTransaction(tx -> tx.preparedQuery("""
                                            UPDATE rejected_events SET reapplied_at = now()
                                            WHERE topic = $1 AND kafka_partition = $2 AND kafka_offset = $3
                                              AND reapplied_at IS NULL""")
                                    .execute(Tuple.of(topic, partition, offset))
                                    .chain(marked -> {
                                        if (marked.rowCount() == 0) {
                                            throw ProblemException.of(
                                                    ProblemType.CONFLICT, "The record was re-applied already.");
                                        }
                                        return handler.apply(tx, decoding.value());
                                    }))
                            .onFailure(e -> !(e instanceof ProblemException))
                            .recoverWithUni(failure -> {
                                Verdict verdict = StreamFailures.of(failure);
                                if (verdict.isTransient()) {
                                    return Uni.createFrom()
                                            .failure(ProblemException.of(
                                                    ProblemType.SERVICE_UNAVAILABLE,
                                                    "The database is not available: " + failure.getMessage()));
                                }
                                return stillRefused(new ConsumerLog.Rejected(
                                        record, null, verdict.kind(), StreamConsumer.reason(failure)));
                            });
                })
                .chain(() -> find(topic, partition, offset));
    }

    private <T> Uni<T> stillRefused(ConsumerLog.Rejected again) {
        return consumer.pool()
                .withTransaction(tx -> log.recordRejected(tx, List.of(again)))
                .chain(() -> Uni.createFrom()
                        .failure(ProblemException.of(
                                ProblemType.VALIDATION_FAILED,
                                "The record still cannot be applied (" + again.kind() + "): " + again.reason())));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
