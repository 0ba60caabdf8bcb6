package io.wagateway.conversation;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text a person would read for a message of any type, inbound or outbound: stored as {@code content}. Both
 * directions have Meta's message shape ({@code type} and an object named by it), so one formatter serves both.
 */
public final class ContentSummary {

    private ContentSummary() {
    }

    public static String of(JsonNode message) {
        String type = text(message, "type");
        JsonNode body = type == null ? null : message.get(type);
        String summary = type == null ? null : switch (type) {
            case "text" -> text(body, "body");
            case "image", "video", "sticker" -> media(type, body, null);
            case "document" -> media(type, body, text(body, "filename"));
            case "audio" -> body != null && body.path("voice").asBoolean(false) ? "[voice message]" : "[audio]";
            case "location" -> location(body);
            case "contacts" -> contacts(body);
            case "interactive" -> interactive(body);
            case "button" -> firstNonBlank(text(body, "text"), text(body, "payload"));
            case "reaction" -> reaction(body);
            case "order" -> order(body);
            case "system" ->
                firstNonBlank(text(body, "body"), "[system: " + text(body, "type") + "]");
            case "unsupported" -> unsupported(message, body);
            case "template" -> template(body);
            default -> null;
        };
        if (summary == null || summary.isBlank()) {
            return "[" + (type == null ? "unknown" : type) + " message]";
        }
        return summary;
    }

    private static String media(String type, JsonNode body, String filename) {
        String caption = text(body, "caption");
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
        addIfPresent(parts, text(body, "name"));
        addIfPresent(parts, text(body, "address"));
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
            String name = firstNonBlank(text(card.path("name"), "formatted_name"),
                    text(card.path("name"), "first_name"));
            String phone = text(card.path("phones").path(0), "phone");
            people.add("👤 " + (name == null ? "contact" : name) + (phone == null ? "" : " (" + phone + ")"));
        }
        return String.join("; ", people);
    }

    private static String interactive(JsonNode body) {
        if (body == null) {
            return null;
        }
        String kind = text(body, "type");
        JsonNode reply = kind == null ? null : body.get(kind);
        if ("nfm_reply".equals(kind)) {
            return firstNonBlank(text(reply, "body"),
                    "[flow response: " + text(reply, "name") + "]");
        }
        if ("list_reply".equals(kind)) {
            String title = text(reply, "title");
            String description = text(reply, "description");
            return description == null || description.isBlank() ? title : title + " — " + description;
        }
        // A reply names its choice; a message we send shows its body text (a button or list message, say).
        String choice = firstNonBlank(text(reply, "title"), text(reply, "id"));
        return firstNonBlank(choice, text(body.path("body"), "text"));
    }

    private static String template(JsonNode body) {
        if (body == null) {
            return null;
        }
        return "[template: " + firstNonBlank(text(body, "name"), "?") + " ("
                + firstNonBlank(text(body.path("language"), "code"), "?") + ")]";
    }

    private static String reaction(JsonNode body) {
        String emoji = text(body, "emoji");
        return emoji == null || emoji.isEmpty() ? "[reaction removed]" : emoji;
    }

    private static String order(JsonNode body) {
        if (body == null) {
            return null;
        }
        int items = body.path("product_items").size();
        String text = text(body, "text");
        String summary = "🛒 Order: " + items + (items == 1 ? " item" : " items");
        return text == null || text.isBlank() ? summary : summary + " — " + text;
    }

    private static String unsupported(JsonNode message, JsonNode body) {
        String what = firstNonBlank(text(body, "type"),
                text(message.path("errors").path(0), "title"));
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

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
