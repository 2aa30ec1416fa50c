package dev.strata.ingest.service;

import dev.strata.ingest.config.IngestConfig;
import dev.strata.support.s3.S3Objects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Where an import job's body is kept until the job ends. Always first in a file of this replica's spool directory
 * (streamed there as it arrives). With {@code spool-store=local} that file is the job's body: only this replica
 * runs it, unless the directory is a volume every replica mounts ({@code shared-spool}). With
 * {@code spool-store=s3} the file is also uploaded, before the job is queued, to
 * {@code s3://<spool-bucket>/imports/<job>.<format>}, which the job row names: any replica can then run or take over
 * the job, reading its own copy of the object (downloaded once into its spool directory). The object and the copies
 * are deleted when the job ends.
 */
@ApplicationScoped
public class ImportSpool {

    private static final Logger LOG = Logger.getLogger(ImportSpool.class);
    static final String S3_SCHEME = "s3://";

    /** The job's body is gone for good (deleted, or the file is on a disk this replica does not see). */
    static final class BodyGone extends RuntimeException {
        BodyGone(String message) {
            super(message, null, false, false);
        }
    }

    /** The spool store cannot be reached now (S3 away): trying again later can help. */
    static final class StoreUnavailable extends RuntimeException {
        StoreUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final IngestConfig.Imports config;
    private final Instance<S3Client> s3;
    private volatile boolean bucketChecked;

    public ImportSpool(IngestConfig config, Instance<S3Client> s3) {
        this.config = config.imports();
        this.s3 = s3;
    }

    /** This replica's spool directory. */
    Path directory() {
        return config.spoolDirectory().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "strata-imports"));
    }

    /** A new, empty spool file for a job's body. */
    Path newFile(UUID id, String format) {
        Path directory = directory();
        try {
            Files.createDirectories(directory);
            return Files.createFile(localName(id, format));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spool file in " + directory, e);
        }
    }

    /**
     * Makes a spooled body durable where the job will be read from, and answers what the job row names: the file
     * itself, or the S3 object it was uploaded to.
     *
     * @throws StoreUnavailable when the upload fails (nothing is queued then)
     */
    String keep(UUID id, String format, Path file) {
        if (config.spoolStore() != IngestConfig.SpoolStore.S3) {
            return file.toString();
        }
        String bucket = config.spoolBucket();
        String key = "imports/" + id + "." + format;
        try {
            ensureBucket();
            s3.get().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new StoreUnavailable(
                    "The import could not be stored in S3 (bucket " + bucket + "): " + e.getMessage(), e);
        }
        return S3_SCHEME + bucket + "/" + key;
    }

    /**
     * The file to read a job's body from: its spool file, or for a body kept in S3 this replica's copy, downloaded
     * now if it has none.
     */
    Path open(UUID id, String format, String spoolPath) {
        if (!spoolPath.startsWith(S3_SCHEME)) {
            Path file = Path.of(spoolPath);
            if (!Files.isReadable(file)) {
                throw new BodyGone("The uploaded body is no longer available; please upload it again.");
            }
            return file;
        }
        Path copy = localName(id, format);
        if (Files.isReadable(copy)) {
            return copy;
        }
        String[] object = object(spoolPath);
        Path part = copy.resolveSibling(copy.getFileName() + ".part");
        try {
            Files.createDirectories(copy.getParent());
            Files.deleteIfExists(part);
            s3.get().getObject(b -> b.bucket(object[0]).key(object[1]), part);
            Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.infof("Import %s: body copied from %s (%d bytes)", id, spoolPath, Files.size(copy));
            return copy;
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new BodyGone("The uploaded body is no longer in " + spoolPath + "; please upload it again.");
        } catch (SdkException e) {
            throw new StoreUnavailable(
                    "The import's body could not be read from S3 (" + spoolPath + "): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + spoolPath + " to " + copy, e);
        }
    }

    /** Removes a job's body once the job has ended: the local file (if any) and the S3 object it names. */
    void discard(String spoolPath, Path file) {
        if (file != null) {
            delete(file);
        }
        if (spoolPath != null && spoolPath.startsWith(S3_SCHEME)) {
            String[] object = object(spoolPath);
            try {
                s3.get().deleteObject(b -> b.bucket(object[0]).key(object[1]));
            } catch (SdkException e) {
                LOG.warnf(
                        "Could not delete %s (the job has ended; delete it by hand or with a lifecycle rule): %s",
                        spoolPath, e.getMessage());
            }
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Could not delete the spool file %s: %s", file, e.getMessage());
        }
    }

    private Path localName(UUID id, String format) {
        return directory().resolve("import-" + id + "." + format);
    }

    private void ensureBucket() {
        if (!bucketChecked) {
            S3Objects.ensureBucket(s3.get(), config.spoolBucket());
            bucketChecked = true;
        }
    }

    /** {@code s3://bucket/key} as bucket and key. */
    private static String[] object(String spoolPath) {
        String rest = spoolPath.substring(S3_SCHEME.length());
        int slash = rest.indexOf('/');
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }
}
