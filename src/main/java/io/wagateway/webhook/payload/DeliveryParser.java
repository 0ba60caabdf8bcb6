package io.wagateway.webhook.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks Meta's JSON tree into a {@link Delivery}. Lenient by design: unknown fields and types are kept in
 * the raw JSON, missing arrays are empty, and nothing here needs reflection (native-image friendly).
 */
public final class DeliveryParser {

    private DeliveryParser() {
    }

    public static Delivery parse(JsonNode root) {
        List<InboundMessage> messages = new ArrayList<>();
        List<StatusUpdate> statuses = new ArrayList<>();
        List<WebhookError> errors = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        if (!"whatsapp_business_account".equals(text(root, "object"))) {
            ignored.add("object:" + (text(root, "object") == null ? "missing" : text(root, "object")));
        }
        for (JsonNode entry : root.path("entry")) {
            String wabaId = text(entry, "id");
            for (JsonNode change : entry.path("changes")) {
                String field = text(change, "field");
                JsonNode value = change.path("value");
                if (field != null && !"messages".equals(field)) {
                    ignored.add(field);
                    continue;
                }
                JsonNode metadata = value.path("metadata");
                Routing routing = new Routing(wabaId, text(metadata, "phone_number_id"),
                        text(metadata, "display_phone_number"));
                JsonNode contacts = value.path("contacts");
                for (JsonNode message : value.path("messages")) {
                    messages.add(message(routing, contacts, message));
                }
                for (JsonNode status : value.path("statuses")) {
                    statuses.add(new StatusUpdate(routing, text(status, "id"), text(status, "status"),
                            timestamp(status), text(status, "recipient_id"),
                            status.has("errors") ? status.get("errors") : null, status));
                }
                for (JsonNode error : value.path("errors")) {
                    errors.add(new WebhookError(routing, error.path("code").isNumber() ? error.get("code").asInt() : null,
                            text(error, "title"), text(error.path("error_data"), "details")));
                }
            }
        }
        return new Delivery(messages, statuses, errors, ignored);
    }

    private static InboundMessage message(Routing routing, JsonNode contacts, JsonNode message) {
        String from = text(message, "from");
        String fromUserId = text(message, "from_user_id");
        JsonNode contact = null;
        for (JsonNode candidate : contacts) {
            String waId = text(candidate, "wa_id");
            String userId = text(candidate, "user_id");
            if ((from != null && !from.isEmpty() && from.equals(waId))
                    || (fromUserId != null && !fromUserId.isEmpty() && fromUserId.equals(userId))) {
                contact = candidate;
                break;
            }
        }
        String sender = from != null && !from.isEmpty() ? from : fromUserId;
        String waId = contact != null && text(contact, "wa_id") != null && !text(contact, "wa_id").isEmpty()
                ? text(contact, "wa_id") : sender;
        String name = contact == null ? null : text(contact.path("profile"), "name");
        return new InboundMessage(routing, text(message, "id"), sender, waId, name, text(message, "type"),
                timestamp(message), message);
    }

    /** Meta's timestamps are strings of Unix seconds; an absent or odd one is "now". */
    private static Instant timestamp(JsonNode node) {
        JsonNode ts = node.path("timestamp");
        try {
            if (ts.isNumber()) {
                return Instant.ofEpochSecond(ts.asLong());
            }
            if (ts.isTextual()) {
                return Instant.ofEpochSecond(Long.parseLong(ts.asText().trim()));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        return Instant.now();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
