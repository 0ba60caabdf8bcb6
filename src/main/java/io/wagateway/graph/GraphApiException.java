package io.wagateway.graph;

/** The Graph API answered with an error. */
public abstract class GraphApiException extends RuntimeException {

    private final transient GraphError error;

    protected GraphApiException(GraphError error) {
        super("Graph API answered HTTP " + error.httpStatus() + " (code " + error.code() + ", fbtrace_id "
                + error.fbtraceId() + ")", null, false, false);
        this.error = error;
    }

    public GraphError error() {
        return error;
    }

    /** 429 and 5xx may succeed later; any other 4xx will fail again (and a retry could duplicate a send). */
    static boolean isRetryable(int status) {
        return status == 429 || status >= 500;
    }
}
