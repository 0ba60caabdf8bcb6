package io.wagateway.conversation.dto;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.wagateway.conversation.SessionState;

/** A conversation with one customer, with its 24-hour customer service window and its latest message. */
@Schema(name = "Session")
public record SessionResponse(
        UUID id,
        @Schema(description = "Customer phone number, digits only", example = "16505551234") String phoneNumber,
        @Schema(example = "BROWSING_PRODUCTS") SessionState state,
        @Schema(description = "Free JSON object kept by the host application", example = "{\"cartId\": \"c-42\"}", nullable = true) Map<String, Object> contextData,
        @Schema(nullable = true) CustomerProfileSummary customerProfile,
        @Schema(example = "2026-11-25T13:20:00Z") Instant lastMessageAt,
        @Schema(description = "True while free-form messages may be sent (within 24 h of the customer's last message)", example = "true") boolean windowOpen,
        @Schema(description = "When the window closes (last inbound message + 24 h); null if the customer never wrote", example = "2026-11-26T13:18:04Z", nullable = true) Instant windowExpiresAt,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "The latest message of the session, with its delivery status", nullable = true) LastMessage lastMessage) {
}
