package dev.strata.ingest.store;

import dev.strata.ingest.store.ImportJobStore.ImportJob;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Formula;

/**
 * An import job, row of {@code import_jobs} (migrations V3, V8), as it is created and read one at a time. Its
 * progress, claim and lease are written by the worker in SQL ({@link ImportJobStore}); the item errors are read
 * only (the worker appends them).
 */
@Entity
@Table(name = "import_jobs")
public class ImportJobEntity {

    @Id
    public UUID id;

    @Column(name = "group_id")
    public UUID groupId;

    /** queued, running, succeeded or failed. */
    public String status;

    /** ndjson or csv. */
    public String format;

    @Column(name = "default_status")
    public String defaultStatus;

    @Column(name = "spool_path")
    public String spoolPath;

    /** The replica that holds the spool file (unless the spool directory is shared). */
    @Column(name = "spool_node")
    public String spoolNode;

    public long bytes;

    @Column(name = "bytes_read")
    public long bytesRead;

    public long processed;

    public long created;

    public long failed;

    /** The first item errors, a JSON array of {index, field, error}. */
    @Column(name = "errors", insertable = false, updatable = false)
    @ColumnTransformer(read = "errors::text")
    public String errorsJson;

    @Formula("jsonb_array_length(errors)")
    public int reportedErrors;

    public String error;

    public int attempts;

    public UUID claim;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The upload's Idempotency-Key, or null. */
    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** The SHA-256 of the upload with a key (format, default status and body): tells a retry from another file. */
    @Column(name = "request_sha256")
    public String requestSha256;

    /** The job as the worker and the progress views read it. */
    public ImportJob toJob() {
        return new ImportJob(
                id,
                groupId,
                status,
                format,
                defaultStatus,
                spoolPath,
                bytes,
                bytesRead,
                processed,
                created,
                failed,
                errorsJson,
                reportedErrors,
                error,
                attempts,
                claim,
                createdAt,
                startedAt,
                finishedAt);
    }
}
