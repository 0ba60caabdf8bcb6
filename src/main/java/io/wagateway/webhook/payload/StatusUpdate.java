package io.wagateway.webhook.payload;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** One object of {@code value.statuses[]}: a status of a message the business sent. */
public record StatusUpdate(
        Routing routing,
        String messageId,
        String status,
        Instant timestamp,
        String recipientId,
        JsonNode errors,
        JsonNode raw) {
}
