package io.wagateway.events.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A subscription as clients see it: the secret only as a flag, except a generated one in the creation answer. */
@Schema(name = "Subscription")
public record SubscriptionResponse(
        UUID id,
        @Schema(example = "https://shop.example.com/hooks/whatsapp") String url,
        @Schema(description = "Event types received; empty: every type") List<String> eventTypes,
        @Schema(description = "Business numbers whose events are received; empty: every number") List<String> phoneNumberIds,
        boolean isActive,
        boolean secretSet,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "The generated secret, in the creation answer only", nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

    /** The same answer carrying a generated secret. */
    public SubscriptionResponse withSecret(String generated) {
        return new SubscriptionResponse(id, url, eventTypes, phoneNumberIds, isActive, secretSet, createdAt, updatedAt,
                generated);
    }
}
