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

    public void checkItemCount(int items) {
        if (items == 0) {
            throw ProblemException.validation("A batch needs at least one item.",
                    List.of(FieldError.of("items", "must not be empty")));
        }
        if (items > config.maxBatchItems()) {
            throw new ProblemException(Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "The batch has " + items
                            + " items; the limit is " + config.maxBatchItems() + ". Use an import job for more.")
                    .withExtension("limit", "strata.ingest.max-batch-items")
                    .withExtension("maximum", config.maxBatchItems()));
        }
    }

    public void checkBodySize(long bytes) {
        if (bytes > config.maxBatchBodyBytes()) {
            throw bodyTooLarge(bytes, config.maxBatchBodyBytes(), "strata.ingest.max-batch-body-bytes");
        }
    }

    public static ProblemException bodyTooLarge(long bytes, long maximum, String limitName) {
        return new ProblemException(Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                        "The body has " + bytes + " bytes; the limit is " + maximum + ".")
                .withExtension("limit", limitName)
                .withExtension("maximum", maximum));
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
