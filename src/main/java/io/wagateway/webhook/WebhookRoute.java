package io.wagateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wagateway.common.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/whatsapp} as a plain Vert.x route: the hottest endpoint of the service skips the REST
 * layer's per-request work (handler chain, media-type negotiation, entity writers, CDI request context), about a
 * quarter of the service's CPU per delivery (README "Benchmark"). Same contract as a REST resource would have: the
 * body limit of {@code quarkus.http.limits.max-body-size} (413), 401/400/503 as problem+json, 200 only after
 * commit, {@code X-Request-Id}, HTTP metrics and graceful shutdown (those work below the REST layer). The
 * verification handshake (GET) stays in {@link WebhookResource}; the annotation scanner does not see this route,
 * so {@code META-INF/openapi.yaml} documents it.
 */
@ApplicationScoped
public class WebhookRoute {

    public static final String PATH = "/webhooks/whatsapp";
    private static final Logger LOG = Logger.getLogger(WebhookRoute.class);
    private static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final String JSON = "application/json";

    private final IngestService ingest;
    private final ObjectMapper mapper;
    private final long maxBodySize;

    public WebhookRoute(IngestService ingest, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M") MemorySize maxBodySize) {
        this.ingest = ingest;
        this.mapper = mapper;
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodySize).setHandleFileUploads(false)
                .setMergeFormAttributes(false);
        // after Quarkus' own filters (request id, security, limits), before the REST layer's catch-all route
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(body).handler(this::receive);
    }

    void receive(RoutingContext ctx) {
        Buffer buffer = ctx.body().buffer();
        byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
        String signature = ctx.request().getHeader(SIGNATURE_HEADER);
        HttpServerResponse response = ctx.response();
        Uni.createFrom().deferred(() -> ingest.receive(body, signature)).subscribe().with(result -> {
            if (response.closed() || response.ended()) {
                return;
            }
            switch (result.outcome()) {
                case STORED, DUPLICATE -> response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                        .end(Buffer.buffer(ack(result.stored(), result.duplicates(), result.statusesApplied(),
                                result.statusesPending())));
                case REJECTED_SIGNATURE -> problem(response, Problem.of(401, "Invalid signature",
                        "X-Hub-Signature-256 must be sha256=<hex HMAC-SHA256 of the raw body> under a configured app secret."));
                case INVALID -> problem(response, Problem.of(400, "Invalid delivery", result.detail()));
                case UNAVAILABLE -> problem(response.putHeader(HttpHeaders.RETRY_AFTER, "5"),
                        Problem.of(503, "Storage unavailable", "The delivery was not stored; retry later."));
            }
        }, failure -> {
            // IngestService turns every failure into UNAVAILABLE; this is the last line of defence (deferred: a bug
            // that throws before the pipeline exists still answers problem+json)
            LOG.errorf(failure, "Unexpected failure answering a webhook delivery");
            if (!response.closed() && !response.ended()) {
                problem(response, Problem.internalError());
            }
        });
    }

    /**
     * The 200 body ({@code WebhookAck} in the OpenAPI document), written by hand: on the hottest path of the
     * service, Jackson's writer cost ~14 % of its CPU.
     */
    static byte[] ack(int stored, int duplicates, int statusesApplied, int statusesPending) {
        return ("{\"stored\":" + stored + ",\"duplicates\":" + duplicates + ",\"statusesApplied\":"
                + statusesApplied + ",\"statusesPending\":" + statusesPending + "}")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private void problem(HttpServerResponse response, Problem problem) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(json));
    }
}
