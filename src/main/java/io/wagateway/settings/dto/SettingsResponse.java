package io.wagateway.settings.dto;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A settings row as clients see it: secrets only as "is set" flags (and the token's last 4 characters). */
@Schema(name = "Settings")
public record SettingsResponse(
        UUID id,
        @Schema(example = "118234567890123") String phoneNumberId,
        @Schema(example = "204567891234567") String businessId,
        @Schema(example = "https://shop.example.com/webhooks/whatsapp", nullable = true) String webhookUrl,
        @Schema(example = "true") boolean isActive,
        @Schema(example = "true") boolean apiKeySet,
        @Schema(example = "true") boolean accessTokenSet,
        @Schema(example = "x9Qz", nullable = true) String accessTokenLast4,
        @Schema(example = "true") boolean webhookTokenSet,
        @Schema(example = "false") boolean appSecretSet,
        Instant lastUpdatedAt,
        Instant createdAt,
        @Schema(description = "The import of the WhatsApp Business app's chat history (coexistence): shown by "
                + "GET /api/v1/settings/{id} once a history webhook came for the number", nullable = true) HistoryStatus history) {

    public SettingsResponse(UUID id, String phoneNumberId, String businessId, String webhookUrl, boolean isActive,
            boolean apiKeySet, boolean accessTokenSet, String accessTokenLast4, boolean webhookTokenSet,
            boolean appSecretSet, Instant lastUpdatedAt, Instant createdAt) {
        this(id, phoneNumberId, businessId, webhookUrl, isActive, apiKeySet, accessTokenSet, accessTokenLast4,
                webhookTokenSet, appSecretSet, lastUpdatedAt, createdAt, null);
    }

    /** The same row with its history import's status. */
    public SettingsResponse withHistory(HistoryStatus status) {
        return new SettingsResponse(id, phoneNumberId, businessId, webhookUrl, isActive, apiKeySet, accessTokenSet,
                accessTokenLast4, webhookTokenSet, appSecretSet, lastUpdatedAt, createdAt, status);
    }
}
