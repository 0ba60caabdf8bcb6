package io.wagateway.graph;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.LogContext;
import io.wagateway.common.UpstreamException;
import io.wagateway.security.SecretRules;

/**
 * Talks to the Graph API for one business number: builds the exact JSON Meta documents, sends it (with
 * retries where safe, see GraphSender) and turns Graph failures into {@link UpstreamException}s (GraphFailures).
 */
@ApplicationScoped
public class GraphClient {

    private static final Logger LOG = Logger.getLogger(GraphClient.class);

    /** Fields of our request that are ours, not Meta's, or that we always set ourselves. */
    private static final Set<String> NOT_FORWARDED = Set.of("phoneNumberId", "messaging_product", "recipient_type",
            "to", "recipient");

    private final GraphSender sender;

    public GraphClient(GraphSender sender) {
        this.sender = sender;
    }

    /**
     * Meta's send-message body: {@code messaging_product} and {@code recipient_type} first, then every field
     * of the request (type-specific objects and extras like biz_opaque_callback_data unchanged), {@code to}
     * as {@code +<digits>} so Meta never prepends the business number's country code.
     */
    public static ObjectNode payload(ObjectNode request, String toDigits) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", "+" + toDigits);
        request.fields().forEachRemaining(field -> {
            if (!NOT_FORWARDED.contains(field.getKey())) {
                body.set(field.getKey(), field.getValue());
            }
        });
        return body;
    }

    /**
     * The same for a recipient known only by their business-scoped user id: Meta's {@code recipient} field in
     * place of {@code to}.
     */
    public static ObjectNode payloadForRecipient(ObjectNode request, String bsuid) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("recipient", bsuid);
        request.fields().forEachRemaining(field -> {
            if (!NOT_FORWARDED.contains(field.getKey())) {
                body.set(field.getKey(), field.getValue());
            }
        });
        return body;
    }

    /** Sends a payload built by {@link #payload}; fails with an UpstreamException on Graph failures. */
    public Uni<SentMessage> send(String phoneNumberId, String accessToken, ObjectNode payload) {
        return usable(phoneNumberId, accessToken).chain(() -> sender.post(phoneNumberId, accessToken, payload))
                .map(answer -> {
                    JsonNode first = answer == null ? null : answer.path("messages").path(0);
                    String wamid = first == null ? null : first.path("id").asText(null);
                    if (wamid == null || wamid.isBlank()) {
                        throw GraphFailures.noMessageId();
                    }
                    JsonNode status = first.get("message_status");
                    return new SentMessage(wamid, payload, answer.path("contacts"),
                            status == null || status.isNull() ? null : status.asText());
                })
                .invoke(sent -> LogContext.withWamid(sent.wamid(), () -> LOG.infof("Sent %s message wamid=%s via "
                        + "phone_number_id=%s", payload.path("type").asText(), sent.wamid(), phoneNumberId)))
                .onFailure().invoke(f -> logFailure("send", phoneNumberId, f))
                .onFailure().transform(f -> GraphFailures.of(f, phoneNumberId));
    }

    /** Marks an inbound message (and, at Meta, the ones before it) as read. */
    public Uni<Void> markRead(String phoneNumberId, String accessToken, String wamid) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("messaging_product", "whatsapp");
        body.put("status", "read");
        body.put("message_id", wamid);
        return usable(phoneNumberId, accessToken).chain(() -> sender.post(phoneNumberId, accessToken, body))
                .invoke(() -> LogContext.withWamid(wamid, () -> LOG.infof("Marked wamid=%s read via phone_number_id=%s",
                        wamid, phoneNumberId)))
                .onFailure().invoke(f -> logFailure("read receipt", phoneNumberId, f))
                .onFailure().transform(f -> GraphFailures.of(f, phoneNumberId))
                .replaceWithVoid();
    }

    /**
     * Fails naming the number when its token cannot be an HTTP header value (a row stored before
     * secrets were validated on write): nothing is sent, and the HTTP client never sees, or logs, the token.
     */
    private static Uni<Void> usable(String phoneNumberId, String accessToken) {
        if (accessToken != null && !accessToken.isEmpty() && SecretRules.violation(accessToken, 1, true) == null) {
            return Uni.createFrom().voidItem();
        }
        LOG.warnf("The access token of phone_number_id=%s is unusable (empty, whitespace, control or non-ASCII "
                + "characters); nothing was sent", phoneNumberId);
        return Uni.createFrom().failure(GraphFailures.unusableToken(phoneNumberId));
    }

    /** Logs Meta's error fields, or only the failure's class: HTTP client messages may carry header values. */
    private static void logFailure(String what, String phoneNumberId, Throwable f) {
        if (f instanceof GraphApiException graph) {
            GraphError e = graph.error();
            LOG.warnf("Graph API %s failed via phone_number_id=%s: HTTP %d code=%s subcode=%s fbtrace_id=%s", what,
                    phoneNumberId, e.httpStatus(), e.code(), e.errorSubcode(), e.fbtraceId());
        } else if (!(f instanceof UpstreamException)) {
            LOG.warnf("Graph API %s failed via phone_number_id=%s: %s", what, phoneNumberId, f.getClass().getName());
        }
    }
}
