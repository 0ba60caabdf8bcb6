package io.wagateway.common;

/**
 * A failure a client can act on, said in the service's own terms; {@link ProblemMapper} alone decides its HTTP
 * status and problem+json body. No stack trace: it is an answer, not a bug.
 */
public abstract class DomainException extends RuntimeException {

    private final String title;
    private final String detail;

    protected DomainException(String title, String detail) {
        super(title + ": " + detail, null, false, false);
        this.title = title;
        this.detail = detail;
    }

    /** A short, fixed summary of the kind of failure. */
    public String title() {
        return title;
    }

    /** What happened to this request and what the client can do about it. */
    public String detail() {
        return detail;
    }
}
