package io.wagateway.events.dto;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Changes to a subscription: fields left out keep their value; an empty list means every type / number. */
@Schema(name = "PatchSubscription")
public record PatchSubscriptionRequest(
        @Schema(nullable = true) @Size(min = 1, max = 2048) String url,
        @Schema(nullable = true) @Size(max = 32) List<@NotBlank @Size(max = 128) String> eventTypes,
        @Schema(nullable = true) @Size(max = 256) List<@Pattern(regexp = "\\d{1,32}", message = "must contain only digits") String> phoneNumberIds,
        @Schema(description = "A new secret (rotation; write-only)", nullable = true) @Size(max = 256) String secret,
        @Schema(nullable = true) Boolean isActive) {
}
