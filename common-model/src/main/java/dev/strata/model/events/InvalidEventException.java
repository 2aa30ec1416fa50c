package dev.strata.model.events;

/**
 * An event that breaks the envelope contract. It names the offending attribute so a consumer can log, and a
 * producer can report, exactly what was wrong without dumping the payload.
 */
public class InvalidEventException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String attribute;

    public InvalidEventException(String attribute, String message) {
        super(message);
        this.attribute = attribute;
    }

    public InvalidEventException(String attribute, String message, Throwable cause) {
        super(message, cause);
        this.attribute = attribute;
    }

    /** The CloudEvents attribute at fault, or {@code null} when the input was not a JSON object at all. */
    public String attribute() {
        return attribute;
    }
}
