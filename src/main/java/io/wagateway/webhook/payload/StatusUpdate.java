package io.wagateway.webhook.payload;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One object of {@code value.statuses[]}: a status of a message the business sent. {@code recipientId} is the
 * phone, which a status of a message sent to a BSUID may leave empty; {@code recipientUserId} is then the BSUID.
 */
public record StatusUpdate(
        Routing routing,
        String messageId,
        String status,
        Instant timestamp,
        String recipientId,
        JsonNode errors,
        JsonNode raw,
        String recipientUserId) {

    public StatusUpdate(Routing routing, String messageId, String status, Instant timestamp, String recipientId,
            JsonNode errors, JsonNode raw) {
        this(routing, messageId, status, timestamp, recipientId, errors, raw, null);
    }
}
