package dev.strata.streamarchive;

/** The stream archive's store could not be read or written (S3 away, an object missing or not what it says). */
public class StreamArchiveException extends RuntimeException {

    public StreamArchiveException(String message) {
        super(message);
    }

    public StreamArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
