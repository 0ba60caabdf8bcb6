package io.wagateway.webhook.payload;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One object of {@code value.messages[]}: the fields the service keys on, the raw JSON (any type, known or
 * not, is kept whole), and the sender's contact matched by {@code wa_id} or {@code user_id} (never by position).
 *
 * @param from sender's phone number ({@code from}; the BSUID {@code from_user_id} when it is empty)
 * @param waId the matching contact's {@code wa_id}, else {@code from}; the BSUID when the phone is withheld
 * @param contactName the matching contact's {@code profile.name}, or null
 * @param userId the sender's business-scoped user id ({@code from_user_id}, else the contact's {@code user_id})
 * @param parentUserId the contact's {@code parent_user_id} ({@code from_parent_user_id})
 * @param username the contact's {@code profile.username}
 * @param countryCode the contact's {@code profile.country_code}
 * @param newUserId a {@code user_changed_user_id} system message's new BSUID ({@code system.user_id})
 */
public record InboundMessage(
        Routing routing,
        String id,
        String from,
        String waId,
        String contactName,
        String type,
        Instant timestamp,
        JsonNode raw,
        String userId,
        String parentUserId,
        String username,
        String countryCode,
        String newUserId) {

    public InboundMessage(Routing routing, String id, String from, String waId, String contactName, String type,
            Instant timestamp, JsonNode raw) {
        this(routing, id, from, waId, contactName, type, timestamp, raw, null, null, null, null, null);
    }
}
