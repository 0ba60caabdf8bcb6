package io.wagateway.settings.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.wagateway.security.Secret;
import io.wagateway.security.SecretRules;

/** A new business number with its credentials. Secrets are write-only: no answer ever contains them. */
@Schema(name = "CreateSettings")
public record CreateSettingsRequest(
        @Schema(description = "Your own API key for this number (write-only)", example = "shop-api-key-1") @NotBlank @Size(max = 512) String apiKey,
        @Schema(description = "Meta's phone number id (digits)", example = "118234567890123") @NotBlank @Pattern(regexp = "\\d{1,32}", message = "must contain only digits") String phoneNumberId,
        @Schema(description = "WhatsApp Business Account id (digits)", example = "204567891234567") @NotBlank @Pattern(regexp = "\\d{1,32}", message = "must contain only digits") String businessId,
        @Schema(description = "System-user access token for the Graph API (write-only; visible ASCII, no whitespace)", example = "EAAG...") @NotBlank @Size(max = 4096) @Secret(asciiOnly = true) String accessToken,
        @Schema(description = "Verify token of the webhook handshake (write-only; at least 16 characters, no whitespace)", example = "my-verify-token") @NotBlank @Size(max = 512) @Secret(min = SecretRules.MIN_VERIFY_TOKEN) String webhookToken,
        @Schema(description = "The callback URL configured at Meta, for reference", example = "https://shop.example.com/webhooks/whatsapp", nullable = true) @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String webhookUrl,
        @Schema(description = "Meta app secret that signs this number's webhooks (write-only; at least 32 characters, no whitespace)", example = "0123456789abcdef0123456789abcdef", nullable = true) @Size(max = 512) @Secret(min = SecretRules.MIN_APP_SECRET) String appSecret,
        @Schema(description = "Whether webhooks and sends use this row (default true)", example = "true", nullable = true) Boolean isActive) {
}
