package io.wagateway.events.dto;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new receiver of events. The secret is write-only: only a generated one is returned, once. */
@Schema(name = "CreateSubscription")
public record CreateSubscriptionRequest(
        @Schema(description = "Where events are POSTed (http or https; public addresses only unless allowed)", example = "https://shop.example.com/hooks/whatsapp") @NotBlank @Size(max = 2048) String url,
        @Schema(description = "Event types to receive; left out or empty: every type", nullable = true) @Size(max = 32) List<@NotBlank @Size(max = 128) String> eventTypes,
        @Schema(description = "Business phone number ids to receive events of; left out or empty: every number", nullable = true) @Size(max = 256) List<@Pattern(regexp = "\\d{1,32}", message = "must contain only digits") String> phoneNumberIds,
        @Schema(description = "Standard Webhooks secret (whsec_ + base64 of 24-64 bytes); left out: one is generated and returned in this answer only", nullable = true) @Size(max = 256) String secret,
        @Schema(description = "Whether events are sent (default true)", nullable = true) Boolean isActive) {
}
