package io.wagateway.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A send the Graph API accepted: Meta's wamid, the exact body sent, Meta's {@code contacts} answer and
 * its {@code message_status} (only present for paced templates).
 */
public record SentMessage(String wamid, ObjectNode payload, JsonNode contacts, String messageStatus) {
}
