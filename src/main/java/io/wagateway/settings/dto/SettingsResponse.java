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
        @Schema(description = "The business number as Meta displays it, learned from message webhooks", example = "15550783881", nullable = true) String displayPhoneNumber,
        @Schema(description = "Latest quality rating from phone_number_quality_update (GREEN, YELLOW, RED, UNKNOWN)", example = "GREEN", nullable = true) String qualityRating,
        @Schema(description = "Latest messaging limit tier from phone_number_quality_update", example = "TIER_1K", nullable = true) String messagingLimitTier,
        @Schema(description = "Latest account status from account_update (its event, or the ban state of a DISABLED_UPDATE)", example = "VERIFIED_ACCOUNT", nullable = true) String accountStatus,
        @Schema(description = "Meta's time of the latest of these three facts", nullable = true) Instant accountUpdatedAt,

        @Schema(description = "The import of the WhatsApp Business app's chat history (coexistence): shown by "
                + "GET /api/v1/settings/{id} once a history webhook came for the number", nullable = true) HistoryStatus history) {

    public SettingsResponse(UUID id, String phoneNumberId, String businessId, String webhookUrl, boolean isActive,
            boolean apiKeySet, boolean accessTokenSet, String accessTokenLast4, boolean webhookTokenSet,
            boolean appSecretSet, Instant lastUpdatedAt, Instant createdAt, String displayPhoneNumber,
            String qualityRating, String messagingLimitTier, String accountStatus, Instant accountUpdatedAt) {
        this(id, phoneNumberId, businessId, webhookUrl, isActive, apiKeySet, accessTokenSet, accessTokenLast4,
                webhookTokenSet, appSecretSet, lastUpdatedAt, createdAt, displayPhoneNumber, qualityRating,
                messagingLimitTier, accountStatus, accountUpdatedAt, null);
    }

    /** The same row with its history import's status. */
    public SettingsResponse withHistory(HistoryStatus status) {
        return new SettingsResponse(id, phoneNumberId, businessId, webhookUrl, isActive, apiKeySet, accessTokenSet,
                accessTokenLast4, webhookTokenSet, appSecretSet, lastUpdatedAt, createdAt, displayPhoneNumber,
                qualityRating, messagingLimitTier, accountStatus, accountUpdatedAt, status);
    }
}
