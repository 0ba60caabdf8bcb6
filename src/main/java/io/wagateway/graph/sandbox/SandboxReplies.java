package io.wagateway.graph.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the Graph API sandbox answers and then reports, shaped like Meta's: the answer to a send or a read
 * receipt, and the status webhooks (sent, delivered, read) that follow an accepted send.
 */
public final class SandboxReplies {

    /** The statuses Meta reports for a message the customer reads, in order. */
    public static final List<String> STATUSES = List.of("sent", "delivered", "read");

    /** The WABA id (entry.id) of the sandbox's status webhooks. */
    static final String WABA_ID = "0";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SandboxReplies() {
    }

    /** True for a read receipt ({@code "status":"read"} with a {@code message_id}), false for a send. */
    public static boolean isReadReceipt(JsonNode request) {
        return "read".equals(request.path("status").asText(null)) && request.hasNonNull("message_id");
    }

    /** A fresh wamid, recognisably the sandbox's. */
    public static String newWamid() {
        return "wamid.sandbox-" + UUID.randomUUID();
    }

    /** Meta's answer to an accepted send to {@code to} ("+4915..." or digits). */
    public static ObjectNode accepted(String to, String wamid) {
        ObjectNode answer = JSON.objectNode();
        answer.put("messaging_product", "whatsapp");
        answer.putArray("contacts").addObject().put("input", to).put("wa_id", digits(to));
        answer.putArray("messages").addObject().put("id", wamid).put("message_status", "accepted");
        return answer;
    }

    /** Meta's answer to a read receipt. */
    public static ObjectNode readReceipt() {
        return JSON.objectNode().put("success", true);
    }

    /** A webhook delivery with one status of {@code wamid}, as Meta posts it to the callback URL. */
    public static ObjectNode statusDelivery(String phoneNumberId, String recipient, String wamid, String status,
            Instant at) {
        ObjectNode root = JSON.objectNode();
        root.put("object", "whatsapp_business_account");
        ArrayNode entries = root.putArray("entry");
        ObjectNode entry = entries.addObject().put("id", WABA_ID);
        ObjectNode value = entry.putArray("changes").addObject().put("field", "messages").putObject("value");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", phoneNumberId).put("phone_number_id", phoneNumberId);
        value.putArray("statuses").addObject().put("id", wamid).put("status", status)
                .put("timestamp", Long.toString(at.getEpochSecond())).put("recipient_id", digits(recipient));
        return root;
    }

    /**
     * The {@code X-Hub-Signature-256} value Meta sends with {@code body}. Computed here rather than with the
     * webhook's verifier: the Graph API side does not depend on the webhook adapter.
     */
    public static String signature(String appSecret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static String digits(String phone) {
        return phone == null ? "" : phone.replaceAll("\\D", "");
    }
}
