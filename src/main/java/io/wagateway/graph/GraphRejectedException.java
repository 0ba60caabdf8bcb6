package io.wagateway.graph;

/** A 4xx (other than 429) from the Graph API: the request itself is wrong; never retried. */
public class GraphRejectedException extends GraphApiException {

    public GraphRejectedException(GraphError error) {
        super(error);
    }
}
