package io.wagateway.graph;

/** A 429, a 5xx or a failed connection: nothing was accepted, so the request is retried with backoff. */
public class GraphUnavailableException extends GraphApiException {

    public GraphUnavailableException(GraphError error) {
        super(error);
    }

    static GraphUnavailableException unreachable(Throwable cause) {
        return new GraphUnavailableException(new GraphError(0, null, null,
                "Graph API unreachable (" + cause.getClass().getSimpleName() + ")", null, null, null));
    }
}
