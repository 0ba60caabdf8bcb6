package io.wagateway.common;

/**
 * A service this one depends on (the Graph API) failed or did not answer in time (502 / 504), with the upstream's
 * own error code, subcode and trace id where it gave them.
 */
public class UpstreamException extends DomainException {

    private final boolean timedOut;
    private final Integer code;
    private final Integer subcode;
    private final String traceId;

    public UpstreamException(String title, String detail, boolean timedOut, Integer code, Integer subcode,
            String traceId) {
        super(title, detail);
        this.timedOut = timedOut;
        this.code = code;
        this.subcode = subcode;
        this.traceId = traceId;
    }

    /** The upstream failed, with nothing of its own to quote. */
    public UpstreamException(String title, String detail) {
        this(title, detail, false, null, null, null);
    }

    public static UpstreamException timeout(String title, String detail) {
        return new UpstreamException(title, detail, true, null, null, null);
    }

    /** True when no answer came in time (the request may or may not have taken effect). */
    public boolean timedOut() {
        return timedOut;
    }

    public Integer code() {
        return code;
    }

    public Integer subcode() {
        return subcode;
    }

    public String traceId() {
        return traceId;
    }
}
