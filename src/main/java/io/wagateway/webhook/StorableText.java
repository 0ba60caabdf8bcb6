package io.wagateway.webhook;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * PostgreSQL refuses U+0000 in text columns and its JSON escape in jsonb, so a message carrying one would be
 * refused on every redelivery (503 for days). It is stored as U+FFFD instead, the same way every time, so a
 * redelivery still meets its stored row.
 */
final class StorableText {

    static final char NUL = '\u0000';
    static final char REPLACEMENT = '\uFFFD';
    private static final String ESCAPED_NUL = "\\u0000";

    private StorableText() {
    }

    /** The text with U+0000 replaced; the same instance when there is none (the usual case). */
    static String text(String value) {
        return value == null || value.indexOf(NUL) < 0 ? value : value.replace(NUL, REPLACEMENT);
    }

    /**
     * True when serialized JSON may carry a NUL: a cheap test on the text, which also matches an escaped
     * backslash followed by "u0000" (not a NUL), so the caller then walks the tree to be sure.
     */
    static boolean mayHoldNul(String json) {
        return json != null && json.indexOf(ESCAPED_NUL) >= 0;
    }

    /** The tree with U+0000 replaced in every text value and field name; the same instance when there is none. */
    static JsonNode tree(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String value = node.textValue();
            String storable = text(value);
            return storable == value ? node : TextNode.valueOf(storable);
        }
        if (node.isArray()) {
            ArrayNode copy = null;
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                JsonNode storable = tree(element);
                if (storable != element && copy == null) {
                    copy = JsonNodeFactory.instance.arrayNode(node.size());
                    for (int j = 0; j < i; j++) {
                        copy.add(node.get(j));
                    }
                }
                if (copy != null) {
                    copy.add(storable);
                }
            }
            return copy == null ? node : copy;
        }
        if (node.isObject()) {
            boolean changed = false;
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = text(field.getKey());
                JsonNode value = tree(field.getValue());
                changed |= name != field.getKey() || value != field.getValue();
                copy.set(name, value);
            }
            return changed ? copy : node;
        }
        return node;
    }
}
