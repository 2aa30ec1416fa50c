package dev.strata.ingest.service;

import dev.strata.ingest.config.IngestConfig;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.messaging.EventStreamConfig;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxEvent;
import dev.strata.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The limits every batch shares, each answered with a problem that names the limit. */
@ApplicationScoped
public class BatchLimits {

    /** Stands for an id the write assigns: every id is a UUID, 36 characters. */
    public static final UUID SOME_ID = new UUID(0, 0);
    /** Stands for a time the write takes: times are kept to the microsecond, 27 characters at most. */
    public static final Instant SOME_TIME = Instant.parse("2000-01-01T00:00:00.000001Z");

    /**
     * Room in an event for all but the texts and JSON objects its item brings: the envelope, ids, times, numbers
     * and field names take under 1 KiB.
     */
    static final int EVENT_FRAME_BYTES = 4096;
    /** The most a character of a text takes in an event's JSON: a control character, escaped to six. */
    static final int MAX_BYTES_PER_CHAR = 6;

    private final IngestConfig config;
    private final EventFactory events;
    private final int maxEventBytes;

    public BatchLimits(IngestConfig config, EventStreamConfig stream, EventFactory events) {
        this.config = config;
        this.events = events;
        this.maxEventBytes = stream.maxEventBytes();
    }

    /**
     * The event an item becomes, with {@link #SOME_ID} and {@link #SOME_TIME} (and the longest value where the
     * write picks among several) for what only the write decides.
     */
    public record Event(String type, Instant time, UUID subject, Object data) {}

    public int maxItems() {
        return config.maxBatchItems();
    }

    public int maxItemBytes() {
        return config.maxItemBytes();
    }

    /** A batch with no item: 422. */
    public static ProblemException noItems() {
        return ProblemException.validation(
                "A batch needs at least one item.", List.of(FieldError.of("items", "must not be empty")));
    }

    /** Raised while parsing, at the first item past the cap: the rest of the body is never read. */
    public ProblemException tooManyItems() {
        return new ProblemException(Problem.of(
                        ProblemType.PAYLOAD_TOO_LARGE,
                        "The batch has more than " + config.maxBatchItems()
                                + " items, the limit. Use an import job for more.")
                .withExtension("limit", "strata.ingest.max-batch-items")
                .withExtension("maximum", config.maxBatchItems()));
    }

    /** An item larger than {@code strata.ingest.max-item-bytes}: that item's error. */
    public FieldError itemTooLarge(int index) {
        return FieldError.at(index, "$", "larger than the limit of " + config.maxItemBytes() + " bytes");
    }

    /**
     * Whether the event an item becomes stays within {@code strata.events.max-event-bytes}; adds the item's error
     * on {@code field} when it does not, so Kafka never gets an event it would refuse. The size that counts is the
     * event's JSON in UTF-8, where a control character takes 6 bytes, not the item's text. Nearly every item is
     * cleared by its lengths alone (its texts escaped at worst, its JSON objects and the frame fit); only one that
     * might not is measured, by writing its event to a counter ({@link EventFactory#size}).
     *
     * @param chars     characters of the texts the item brings to its event
     * @param jsonBytes bytes (at most) of the JSON objects it brings, as written
     */
    public boolean eventFits(
            int index, String field, long chars, long jsonBytes, Supplier<Event> event, List<FieldError> errors) {
        if (EVENT_FRAME_BYTES + MAX_BYTES_PER_CHAR * chars + jsonBytes <= maxEventBytes) {
            return true;
        }
        Event e = event.get();
        return fits(index, field, events.size(e.type(), SOME_ID, e.time(), e.subject(), e.data()), errors);
    }

    /** Like {@link #eventFits(int, String, long, long, Supplier, List)}, for an event already written. */
    public boolean eventFits(int index, String field, OutboxEvent event, List<FieldError> errors) {
        // UTF-8 takes at most 3 bytes per character (4 for a pair of them)
        return 3L * event.json().length() <= maxEventBytes
                || fits(index, field, EventEnvelopeCodec.utf8Size(event.json()), errors);
    }

    private boolean fits(int index, String field, long bytes, List<FieldError> errors) {
        if (bytes <= maxEventBytes) {
            return true;
        }
        errors.add(FieldError.at(
                index,
                field,
                "makes an event of " + bytes + " bytes, larger than the limit of "
                        + maxEventBytes + " bytes (strata.events.max-event-bytes; JSON writes a control character as 6"
                        + " bytes)"));
        return false;
    }

    /** In atomic mode one invalid item rejects the whole batch: 422, nothing written. */
    public void rejectIfAtomic(BatchOptions options, List<FieldError> errors) {
        if (options.atomic() && !errors.isEmpty()) {
            throw ProblemException.validation(
                    "The batch is atomic and " + countItems(errors) + " item(s) are invalid: nothing was written.",
                    errors);
        }
    }

    /** A batch in which no item is valid writes nothing and is answered as a whole: 422. */
    public void rejectIfNoneValid(int valid, List<FieldError> errors) {
        if (valid == 0 && !errors.isEmpty()) {
            throw ProblemException.validation("No item of the batch is valid: nothing was written.", errors);
        }
    }

    private static long countItems(List<FieldError> errors) {
        return errors.stream().map(FieldError::index).distinct().count();
    }
}
