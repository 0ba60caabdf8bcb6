package io.wagateway.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose path or query carries U+0000 (raw or {@code %00}) with a 400 problem before any
 * handler: PostgreSQL cannot compare text with NUL and would fail the query (a 500 otherwise).
 */
@ApplicationScoped
public class UrlNulFilter {

    private final byte[] problem;

    public UrlNulFilter(ObjectMapper mapper) throws JsonProcessingException {
        this.problem = mapper.writeValueAsBytes(
                Problem.of(400, "Bad request", "The URL must not contain U+0000 (NUL, %00) in its path or query."));
    }

    void register(@Observes Router router) {
        // right after the request id (RequestIdFilter), so that the refusal carries it too
        router.route().order(Integer.MIN_VALUE + 1).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String uri = ctx.request().uri();
        if (uri != null && (uri.indexOf("%00") >= 0 || uri.indexOf('\0') >= 0)) {
            ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(io.vertx.core.buffer.Buffer.buffer(problem));
            return;
        }
        ctx.next();
    }
}
