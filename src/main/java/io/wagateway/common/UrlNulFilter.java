package io.wagateway.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose path or query carries U+0000 (raw or {@code %00}) with a 400 problem before any
 * handler: PostgreSQL cannot compare text with NUL and would fail the query (a 500 otherwise).
 */
@ApplicationScoped
public class UrlNulFilter {

    private static final byte[] PROBLEM = ("{\"type\":\"about:blank\",\"title\":\"Bad request\",\"status\":400,"
            + "\"detail\":\"The URL must not contain U+0000 (NUL, %00) in its path or query.\"}")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    void register(@Observes Router router) {
        // right after the request id (RequestIdFilter), so that the refusal carries it too
        router.route().order(Integer.MIN_VALUE + 1).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String uri = ctx.request().uri();
        if (uri != null && (uri.indexOf("%00") >= 0 || uri.indexOf('\0') >= 0)) {
            ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(io.vertx.core.buffer.Buffer.buffer(PROBLEM));
            return;
        }
        ctx.next();
    }
}
