package dev.strata.streamarchive;

/** Records are neither on the topic nor in the stream archive: a rebuild would undercount, so it is refused. */
public class StreamGapException extends StreamArchiveException {

    public StreamGapException(String message) {
        super(message);
    }
}
