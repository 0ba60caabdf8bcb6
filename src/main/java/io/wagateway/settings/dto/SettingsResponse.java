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
        Instant createdAt) {
}
