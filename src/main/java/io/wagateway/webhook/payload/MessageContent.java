package io.wagateway.webhook.payload;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The text a person would read for an inbound message of any type: stored as {@code content}. */
public final class MessageContent {

    private MessageContent() {
    }

    public static String of(JsonNode message) {
        String type = DeliveryParser.text(message, "type");
        JsonNode body = type == null ? null : message.get(type);
        String summary = type == null ? null : switch (type) {
            case "text" -> DeliveryParser.text(body, "body");
            case "image", "video", "sticker" -> media(type, body, null);
            case "document" -> media(type, body, DeliveryParser.text(body, "filename"));
            case "audio" -> body != null && body.path("voice").asBoolean(false) ? "[voice message]" : "[audio]";
            case "location" -> location(body);
            case "contacts" -> contacts(body);
            case "interactive" -> interactive(body);
            case "button" -> firstNonBlank(DeliveryParser.text(body, "text"), DeliveryParser.text(body, "payload"));
            case "reaction" -> reaction(body);
            case "order" -> order(body);
            case "system" ->
                firstNonBlank(DeliveryParser.text(body, "body"), "[system: " + DeliveryParser.text(body, "type") + "]");
            case "unsupported" -> unsupported(message, body);
            default -> null;
        };
        if (summary == null || summary.isBlank()) {
            return "[" + (type == null ? "unknown" : type) + " message]";
        }
        return summary;
    }

    private static String media(String type, JsonNode body, String filename) {
        String caption = DeliveryParser.text(body, "caption");
        if (caption != null && !caption.isBlank()) {
            return caption;
        }
        return filename == null ? "[" + type + "]" : "[" + type + ": " + filename + "]";
    }

    private static String location(JsonNode body) {
        if (body == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        addIfPresent(parts, DeliveryParser.text(body, "name"));
        addIfPresent(parts, DeliveryParser.text(body, "address"));
        if (parts.isEmpty()) {
            parts.add(body.path("latitude").asText() + ", " + body.path("longitude").asText());
        }
        return "📍 " + String.join(", ", parts);
    }

    private static String contacts(JsonNode cards) {
        if (cards == null || !cards.isArray() || cards.isEmpty()) {
            return null;
        }
        List<String> people = new ArrayList<>();
        for (JsonNode card : cards) {
            String name = firstNonBlank(DeliveryParser.text(card.path("name"), "formatted_name"),
                    DeliveryParser.text(card.path("name"), "first_name"));
            String phone = DeliveryParser.text(card.path("phones").path(0), "phone");
            people.add("👤 " + (name == null ? "contact" : name) + (phone == null ? "" : " (" + phone + ")"));
        }
        return String.join("; ", people);
    }

    private static String interactive(JsonNode body) {
        if (body == null) {
            return null;
        }
        String kind = DeliveryParser.text(body, "type");
        JsonNode reply = kind == null ? null : body.get(kind);
        if ("nfm_reply".equals(kind)) {
            return firstNonBlank(DeliveryParser.text(reply, "body"),
                    "[flow response: " + DeliveryParser.text(reply, "name") + "]");
        }
        if ("list_reply".equals(kind)) {
            String title = DeliveryParser.text(reply, "title");
            String description = DeliveryParser.text(reply, "description");
            return description == null || description.isBlank() ? title : title + " — " + description;
        }
        return firstNonBlank(DeliveryParser.text(reply, "title"), DeliveryParser.text(reply, "id"));
    }

    private static String reaction(JsonNode body) {
        String emoji = DeliveryParser.text(body, "emoji");
        return emoji == null || emoji.isEmpty() ? "[reaction removed]" : emoji;
    }

    private static String order(JsonNode body) {
        if (body == null) {
            return null;
        }
        int items = body.path("product_items").size();
        String text = DeliveryParser.text(body, "text");
        String summary = "🛒 Order: " + items + (items == 1 ? " item" : " items");
        return text == null || text.isBlank() ? summary : summary + " — " + text;
    }

    private static String unsupported(JsonNode message, JsonNode body) {
        String what = firstNonBlank(DeliveryParser.text(body, "type"),
                DeliveryParser.text(message.path("errors").path(0), "title"));
        return "[unsupported message" + (what == null ? "" : ": " + what) + "]";
    }

    private static void addIfPresent(List<String> parts, String value) {
        if (value != null && !value.isBlank()) {
            parts.add(value);
        }
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
