package dev.strata.ingest.store;

import dev.strata.support.problem.DatabaseProblems;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Import jobs as they are created and read one at a time, through Panache. The worker's claim, lease and chunk
 * progress, and the list of a group's jobs, are SQL on the reactive client ({@link ImportJobStore}).
 */
@ApplicationScoped
public class ImportJobRepository implements PanacheRepositoryBase<ImportJobEntity, UUID> {

    @WithSession
    public Uni<ImportJobEntity> find(UUID id) {
        return findById(id);
    }

    /** The job an upload with this Idempotency-Key created; null if none did. */
    @WithSession
    public Uni<ImportJobEntity> findByKey(UUID groupId, String idempotencyKey) {
        return find("groupId = ?1 and idempotencyKey = ?2", groupId, idempotencyKey)
                .firstResult();
    }

    private static final String KEY_INDEX = "import_jobs_idempotency_key";

    /**
     * Whether a failed insert lost the race for its Idempotency-Key to another upload. Hibernate reports the unique
     * violation as its own exception, without the driver's in the cause chain.
     */
    public static boolean isKeyTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConstraintViolationException violation) {
                return "23505".equals(violation.getSQLState()) && KEY_INDEX.equals(violation.getConstraintName());
            }
        }
        return DatabaseProblems.violates(failure, KEY_INDEX);
    }
}
