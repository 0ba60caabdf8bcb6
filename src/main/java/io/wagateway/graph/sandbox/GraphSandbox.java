package io.wagateway.graph.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wagateway.common.LogContext;

/**
 * A stand-in for Meta's Graph API in dev mode, so that sending can be tried on a laptop: it accepts
 * {@code POST /dev/graph/{version}/{phone-number-id}/messages} (sends and read receipts) like Meta, and a
 * little later posts the status webhooks of an accepted send (sent, delivered, read), signed with the first
 * configured app secret, to this application's own webhook URL. Never in a prod build (build profile), and
 * served only when {@code gateway.graph-sandbox.enabled} is true (dev mode; off in tests unless a test
 * turns it on).
 */
@UnlessBuildProfile("prod")
@ApplicationScoped
public class GraphSandbox {

    static final String PATH = "/dev/graph/:version/:phoneNumberId/messages";
    static final String WEBHOOK_PATH = "/webhooks/whatsapp";
    /** A send or read receipt is a few KB; larger bodies are refused (413) before they are held. */
    private static final long BODY_LIMIT = 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(GraphSandbox.class);

    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final List<String> appSecrets;
    private final boolean enabled;
    private final long statusDelayMs;
    private volatile HttpClient client;

    public GraphSandbox(Vertx vertx, ObjectMapper mapper,
            @ConfigProperty(name = "gateway.whatsapp.app-secrets") Optional<List<String>> appSecrets,
            @ConfigProperty(name = "gateway.graph-sandbox.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "gateway.graph-sandbox.status-delay", defaultValue = "1s") Duration statusDelay) {
        this.vertx = vertx;
        this.mapper = mapper;
        this.appSecrets = appSecrets.orElse(List.of());
        this.enabled = enabled;
        this.statusDelayMs = Math.max(1, statusDelay.toMillis());
    }

    void register(@Observes Router router) {
        if (!enabled) {
            return;
        }
        // before the REST layer's catch-all route, like the webhook route
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT)).handler(this::messages);
        LOG.info("Graph API sandbox serves /dev/graph and answers sends with status webhooks (dev only)");
    }

    void messages(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
            // Meta's answer to a missing token
            reply(ctx, 401, error(190, "OAuthException", "An active access token must be used"));
            return;
        }
        JsonNode request = parse(body);
        if (request == null || !request.isObject()) {
            reply(ctx, 400, error(100, "OAuthException", "Invalid parameter: the body is not a JSON object"));
            return;
        }
        if (SandboxReplies.isReadReceipt(request)) {
            reply(ctx, 200, SandboxReplies.readReceipt());
            return;
        }
        String to = request.path("to").asText("");
        if (SandboxReplies.digits(to).isEmpty()) {
            reply(ctx, 400, error(100, "OAuthException", "(#100) The parameter to is required."));
            return;
        }
        String wamid = SandboxReplies.newWamid();
        String phoneNumberId = ctx.pathParam("phoneNumberId");
        reply(ctx, 200, SandboxReplies.accepted(to, wamid));
        LogContext.withWamid(wamid, () -> LOG.infof("Graph API sandbox accepted a %s message wamid=%s via "
                + "phone_number_id=%s; its statuses follow", request.path("type").asText("?"), wamid, phoneNumberId));
        // where this request arrived is where the application's webhook listens
        SocketAddress local = ctx.request().localAddress();
        report(local.hostAddress(), local.port(), phoneNumberId, to, wamid, 0);
    }

    /** Posts status {@code index} of {@link SandboxReplies#STATUSES} after the delay, then the next one. */
    private void report(String host, int port, String phoneNumberId, String to, String wamid, int index) {
        if (index >= SandboxReplies.STATUSES.size()) {
            return;
        }
        if (appSecrets.isEmpty()) {
            LOG.warn("Graph API sandbox: no gateway.whatsapp.app-secrets to sign status webhooks with; none sent");
            return;
        }
        String status = SandboxReplies.STATUSES.get(index);
        vertx.setTimer(statusDelayMs, timer -> {
            byte[] delivery = SandboxReplies.statusDelivery(phoneNumberId, to, wamid, status, Instant.now()).toString()
                    .getBytes(StandardCharsets.UTF_8);
            client().request(HttpMethod.POST, port, host, WEBHOOK_PATH)
                    .compose(request -> request.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .putHeader("X-Hub-Signature-256", SandboxReplies.signature(appSecrets.get(0), delivery))
                            .send(Buffer.buffer(delivery)))
                    .onComplete(answer -> {
                        if (answer.failed() || answer.result().statusCode() != 200) {
                            LOG.warnf("Graph API sandbox: status %s of wamid=%s was not accepted by %s: %s", status,
                                    wamid, WEBHOOK_PATH, answer.failed() ? answer.cause().toString()
                                            : "HTTP " + answer.result().statusCode());
                        }
                        report(host, port, phoneNumberId, to, wamid, index + 1);
                    });
        });
    }

    private JsonNode parse(Buffer body) {
        if (body == null) {
            return null;
        }
        try {
            return mapper.readTree(body.getBytes());
        } catch (IOException e) {
            return null;
        }
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient();
                }
                current = client;
            }
        }
        return current;
    }

    private static JsonNode error(int code, String type, String message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("error").put("message", message).put("type", type).put("code", code)
                .put("fbtrace_id", "sandbox");
        return root;
    }

    private static void reply(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.toString());
    }
}
