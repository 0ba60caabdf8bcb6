package io.wagateway.common;

/** The thing a request names does not exist (404). */
public class NotFoundException extends DomainException {

    /** {@code new NotFoundException("Session", "id", id)}: "Session not found", "No session with id …". */
    public NotFoundException(String what, String key, Object value) {
        super(what + " not found", "No " + what.toLowerCase(java.util.Locale.ROOT) + " with " + key + " " + value + ".");
    }

    /** A row looked up by its id. */
    public NotFoundException(String what, Object id) {
        this(what, "id", id);
    }
}
