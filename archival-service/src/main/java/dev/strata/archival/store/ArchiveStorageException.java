package dev.strata.archival.store;

/** The S3 store failed or could not be reached; the message says which step, object and why, for the run status. */
public class ArchiveStorageException extends RuntimeException {

    public ArchiveStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public ArchiveStorageException(String message) {
        super(message);
    }
}
