package io.wagateway.graph;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * One call to the Graph API messages endpoint, guarded by SmallRye Fault Tolerance: retried with
 * exponential backoff and jitter only when nothing can have been accepted (429, 5xx, connection refused),
 * never on another 4xx or a read timeout, so a message is never sent twice.
 */
@ApplicationScoped
public class GraphSender {

    private final GraphApiClient client;
    private final GraphConfig config;

    public GraphSender(@RestClient GraphApiClient client, GraphConfig config) {
        this.client = client;
        this.config = config;
    }

    @AsynchronousNonBlocking
    @Retry(maxRetries = 3, delay = 200, jitter = 100, retryOn = GraphUnavailableException.class, abortOn = GraphRejectedException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 5000)
    @Timeout(20_000)
    public Uni<JsonNode> post(String phoneNumberId, String accessToken, JsonNode body) {
        return client.messages(config.apiVersion(), phoneNumberId, "Bearer " + accessToken, body)
                .onFailure(GraphSender::isConnectFailure).transform(GraphUnavailableException::unreachable);
    }

    private static boolean isConnectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }
}
