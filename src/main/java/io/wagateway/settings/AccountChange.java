package io.wagateway.settings;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change of an account webhook field, parsed ({@link AccountWebhooks#parse}): where it goes (the WABA id, and the
 * business number when the change names one), what it says, and the facts it sets on the settings row (each null
 * when it sets none).
 *
 * @param dedupeKey the hash of the change as Meta sent it: the same for a redelivery
 */
public record AccountChange(String field, String wabaId, String phoneNumberId, String displayPhoneNumber,
        String event, String qualityRating, String messagingLimitTier, String accountStatus, ObjectNode details,
        JsonNode value, Instant at, String dedupeKey) {
}
