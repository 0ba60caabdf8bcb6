package io.wagateway.templates.dto;

import java.time.Instant;

/**
 * The data of a {@code whatsapp.customer.updated} event for a marketing preference: the customer's wa_id, the
 * business account and number it was reported for, {@code stopped} / {@code resumed} and Meta's time of it.
 */
public record PreferenceEvent(String waId, String wabaId, String phoneNumberId, String marketingMessages,
        Instant marketingMessagesAt) {
}
