package io.wagateway.webhook.payload;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One object of {@code value.messages[]}: the fields the service keys on, the raw JSON (any type, known or
 * not, is kept whole), and the sender's contact matched by {@code wa_id} (never by position).
 *
 * @param from sender's phone number ({@code from}; the BSUID {@code from_user_id} when it is empty)
 * @param waId the matching contact's {@code wa_id}, else {@code from}
 * @param contactName the matching contact's {@code profile.name}, or null
 */
public record InboundMessage(
        Routing routing,
        String id,
        String from,
        String waId,
        String contactName,
        String type,
        Instant timestamp,
        JsonNode raw) {
}
