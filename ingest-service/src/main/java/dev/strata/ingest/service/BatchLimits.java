package dev.strata.ingest.service;

import dev.strata.ingest.config.IngestConfig;
import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The limits every batch shares, each answered with a problem that names the limit. */
@ApplicationScoped
public class BatchLimits {

    private final IngestConfig config;

    public BatchLimits(IngestConfig config) {
        this.config = config;
    }

    public int maxItems() {
        return config.maxBatchItems();
    }

    public int maxItemBytes() {
        return config.maxItemBytes();
    }

    /** A batch with no item: 422. */
    public static ProblemException noItems() {
        return ProblemException.validation("A batch needs at least one item.",
                List.of(FieldError.of("items", "must not be empty")));
    }

    /** Raised while parsing, at the first item past the cap: the rest of the body is never read. */
    public ProblemException tooManyItems() {
        return new ProblemException(Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "The batch has more than "
                        + config.maxBatchItems() + " items, the limit. Use an import job for more.")
                .withExtension("limit", "strata.ingest.max-batch-items")
                .withExtension("maximum", config.maxBatchItems()));
    }

    /** An item larger than {@code strata.ingest.max-item-bytes}: that item's error. */
    public FieldError itemTooLarge(int index) {
        return FieldError.at(index, "$", "larger than the limit of " + config.maxItemBytes() + " bytes");
    }

    /** In atomic mode one invalid item rejects the whole batch: 422, nothing written. */
    public void rejectIfAtomic(BatchOptions options, List<FieldError> errors) {
        if (options.atomic() && !errors.isEmpty()) {
            throw ProblemException.validation("The batch is atomic and " + countItems(errors)
                    + " item(s) are invalid: nothing was written.", errors);
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
