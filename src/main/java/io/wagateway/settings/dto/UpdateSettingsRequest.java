package io.wagateway.settings.dto;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.wagateway.security.Secret;
import io.wagateway.security.SecretRules;

/**
 * A change to a settings row: fields left out (or null) keep their value, so secrets need not be sent
 * again. An empty webhookUrl or appSecret clears it.
 */
@Schema(name = "UpdateSettings")
public record UpdateSettingsRequest(
        @Schema(description = "Your own API key for this number (write-only)", nullable = true) @Size(min = 1, max = 512) String apiKey,
        @Schema(description = "Meta's phone number id (digits)", example = "118234567890123", nullable = true) @Pattern(regexp = "\\d{1,32}", message = "must contain only digits") String phoneNumberId,
        @Schema(description = "WhatsApp Business Account id (digits)", example = "204567891234567", nullable = true) @Pattern(regexp = "\\d{1,32}", message = "must contain only digits") String businessId,
        @Schema(description = "System-user access token for the Graph API (write-only)", nullable = true) @Size(min = 1, max = 4096) @Secret(asciiOnly = true) String accessToken,
        @Schema(description = "Verify token of the webhook handshake (write-only)", nullable = true) @Size(max = 512) @Secret(min = SecretRules.MIN_VERIFY_TOKEN) String webhookToken,
        @Schema(description = "Callback URL; empty string clears it", nullable = true) @Size(max = 2048) @Pattern(regexp = "(https?://\\S+)?", message = "must be an http(s) URL") String webhookUrl,
        @Schema(description = "Meta app secret (write-only); empty string clears it", nullable = true) @Size(max = 512) @Secret(min = SecretRules.MIN_APP_SECRET, allowEmpty = true) String appSecret,
        @Schema(description = "Whether webhooks and sends use this row", nullable = true) Boolean isActive) {
}
