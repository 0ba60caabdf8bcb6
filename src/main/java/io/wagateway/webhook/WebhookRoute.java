package io.wagateway.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wagateway.common.Problem;

/**
 * {@code POST /webhooks/whatsapp} as a plain Vert.x route: the hottest endpoint of the service skips the REST
 * layer's per-request work (handler chain, media-type negotiation, entity writers, CDI request context),
 * whose cost is measured in docs/performance.md. Same contract as a REST resource would have: the
 * body limit of {@code quarkus.http.limits.max-body-size} (413), 401/400/503 as problem+json, 200 only after
 * commit, {@code X-Request-Id}, HTTP metrics and graceful shutdown (those work below the REST layer). The
 * verification handshake (GET) stays in {@link WebhookHandshakeResource}; the annotation scanner does not see this route,
 * so {@code META-INF/openapi.yaml} documents it.
 */
@ApplicationScoped
public class WebhookRoute {

    public static final String PATH = "/webhooks/whatsapp";
    private static final Logger LOG = Logger.getLogger(WebhookRoute.class);
    private static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final String JSON = "application/json";
    private static final String RETRY_AFTER_S = "5";

    /** Vert.x context-local key under which the body's {@link BodyBudget.Lease} travels to the ingest work. */
    static final String LEASE = WebhookRoute.class.getName() + ".lease";

    private final IngestService ingest;
    private final ObjectMapper mapper;
    private final BodyBudget budget;
    private final Vertx vertx;
    private final long maxBodySize;
    private final long bodyTimeoutMs;

    public WebhookRoute(IngestService ingest, ObjectMapper mapper, BodyBudget budget, Vertx vertx,
            WebhookConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M") MemorySize maxBodySize) {
        this.ingest = ingest;
        this.mapper = mapper;
        this.budget = budget;
        this.vertx = vertx;
        this.maxBodySize = maxBodySize.asLongValue();
        this.bodyTimeoutMs = Math.max(1, config.bodyTimeout().toMillis());
    }

    /** The one budget of the process, shared by reception and the ingest work that holds a body afterwards. */
    @Produces
    @Singleton
    static BodyBudget bodyBudget(WebhookConfig config, MeterRegistry registry) {
        BodyBudget budget = new BodyBudget(config.bodyBudget().asLongValue(), config.bodyBudgetReserve().asLongValue(),
                config.smallBodySize().asLongValue());
        // how close the replica runs to refusing bodies (503): size gateway.whatsapp.body-budget from it
        Gauge.builder("whatsapp.webhook.body.budget.used", budget, BodyBudget::used).baseUnit("bytes")
                .description("Bytes of webhook bodies held now (received, parsed or waiting for the database)")
                .register(registry);
        Gauge.builder("whatsapp.webhook.body.budget.limit", budget, BodyBudget::total).baseUnit("bytes")
                .description("gateway.whatsapp.body-budget").register(registry);
        return budget;
    }

    void register(@Observes Router router) {
        // after Quarkus' own filters (request id, security, limits: a Content-Length over the body limit is 413
        // there), before the REST layer's catch-all route; no BodyHandler: the body is read under the budget here
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::read);
    }

    /**
     * Reads the body under the budget and the whole-body deadline: a declared length that does not fit is refused
     * before any byte is read, a body without one is charged as it grows; each byte is copied once, into the array
     * the signature check and the parser read.
     */
    void read(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long declared = contentLength(request);
        BodyBudget.Lease lease = budget.open();
        // the reception's hold: released when the exchange ends (answered, or the connection dropped)
        ctx.addEndHandler(ignored -> lease.release());
        if (declared > maxBodySize) {
            tooLarge(ctx);
            return;
        }
        if (declared > 0 && !lease.grow(declared)) {
            overBudget(ctx);
            return;
        }
        Reception reception = new Reception(ctx, lease, declared);
        if (request.isEnded()) {
            reception.end();
            return;
        }
        reception.timer = vertx.setTimer(bodyTimeoutMs, id -> reception.deadline());
        request.handler(reception::chunk).endHandler(ignored -> reception.end())
                .exceptionHandler(failure -> reception.drop());
        request.resume();
    }

    /** One body being received; every method runs on the request's event loop. */
    private final class Reception {
        final RoutingContext ctx;
        final BodyBudget.Lease lease;
        byte[] bytes;
        int size;
        long timer = -1;
        boolean done;

        Reception(RoutingContext ctx, BodyBudget.Lease lease, long declared) {
            this.ctx = ctx;
            this.lease = lease;
            // a declared length is allocated (and was charged) at once; a body without one grows as it arrives
            this.bytes = new byte[(int) Math.max(0, declared)];
        }

        void chunk(Buffer chunk) {
            if (done) {
                return;
            }
            int length = chunk.length();
            long total = (long) size + length;
            if (total > maxBodySize) {
                stop();
                tooLarge(ctx);
                return;
            }
            // no (or a wrong) Content-Length: charged as it grows
            if (total > lease.bytes() && !lease.grow(total - lease.bytes())) {
                stop();
                overBudget(ctx);
                return;
            }
            if (total > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(maxBodySize, Math.max(total, 2L * bytes.length)));
            }
            chunk.getBytes(0, length, bytes, size);
            size = (int) total;
        }

        void end() {
            if (done) {
                return;
            }
            stop();
            byte[] body = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
            bytes = null;
            receive(ctx, body, lease);
        }

        void deadline() {
            if (done) {
                return;
            }
            stop();
            bytes = null;
            LOG.debugf("Webhook body not complete after %d ms (%d bytes received); closing the connection",
                    bodyTimeoutMs, size);
            refuse(ctx, Problem.of(408, "Body too slow", "The body was not complete in time."));
        }

        void drop() {
            if (!done) {
                stop();
                bytes = null;
            }
        }

        private void stop() {
            done = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }

    private static long contentLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void tooLarge(RoutingContext ctx) {
        refuse(ctx, Problem.of(413, "Delivery too large", "The body is over the limit of " + maxBodySize + " bytes."));
    }

    private void overBudget(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_S);
        refuse(ctx, Problem.of(503, "Too many deliveries in flight",
                "The service holds as many webhook bodies as it may; retry later."));
    }

    /** Answers without reading (the rest of) the body, then closes the connection so that it is never read. */
    private void refuse(RoutingContext ctx, Problem problem) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            request.connection().close();
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        problem(response, problem).onComplete(ignored -> request.connection().close());
    }

    void receive(RoutingContext ctx, byte[] body, BodyBudget.Lease lease) {
        String signature = ctx.request().getHeader(SIGNATURE_HEADER);
        HttpServerResponse response = ctx.response();
        // the ingest work's hold: until its outcome is known; work that outlives it (a row in a statement) holds
        // the lease itself, found on the request's context
        lease.retain();
        io.vertx.core.Context context = Vertx.currentContext();
        if (context != null) {
            context.putLocal(LEASE, lease);
        }
        Uni.createFrom().deferred(() -> ingest.receive(body, signature))
                .onTermination().invoke(lease::release)
                .subscribe().with(result -> {
                    if (response.closed() || response.ended()) {
                        return;
                    }
                    switch (result.status()) {
                        case STORED, DUPLICATE -> response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                                .end(Buffer.buffer(ack(result.stored(), result.duplicates(), result.statusesApplied(),
                                        result.statusesPending())));
                        case REJECTED_SIGNATURE -> problem(response, Problem.of(401, "Invalid signature",
                                "X-Hub-Signature-256 must be sha256=<hex HMAC-SHA256 of the raw body> under a configured app secret."));
                        case INVALID -> problem(response, Problem.of(400, "Invalid delivery", result.detail()));
                        case UNAVAILABLE -> problem(response.putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_S),
                                Problem.of(503, "Storage unavailable", "The delivery was not stored; retry later."));
                    }
                }, failure -> {
                    // IngestService turns every failure into UNAVAILABLE; this is the last line of defence (deferred:
                    // a bug that throws before the pipeline exists still answers problem+json)
                    LOG.errorf(failure, "Unexpected failure answering a webhook delivery");
                    if (!response.closed() && !response.ended()) {
                        problem(response, Problem.internalError());
                    }
                });
    }

    /**
     * The 200 body ({@code WebhookAck} in the OpenAPI document), written by hand: it is on the hottest path of the
     * service, where Jackson's writer showed up as a large share of the CPU per delivery (docs/performance.md).
     */
    static byte[] ack(int stored, int duplicates, int statusesApplied, int statusesPending) {
        return ("{\"stored\":" + stored + ",\"duplicates\":" + duplicates + ",\"statusesApplied\":"
                + statusesApplied + ",\"statusesPending\":" + statusesPending + "}")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private Future<Void> problem(HttpServerResponse response, Problem problem) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(json));
    }
}
