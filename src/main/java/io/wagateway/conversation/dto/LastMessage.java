package io.wagateway.conversation.dto;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.wagateway.conversation.MessageDirection;

/** Summary of a session's latest message, shown in session lists. */
@Schema(name = "LastMessage")
public record LastMessage(
        UUID id,
        @Schema(description = "Meta's wamid", example = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA") String messageId,
        @Schema(example = "OUTBOUND") MessageDirection direction,
        @Schema(example = "text") String messageType,
        @Schema(example = "Your order has shipped") String content,
        @Schema(description = "accepted, sent, delivered, read, played or failed; null for unread inbound messages", example = "delivered", nullable = true) String status,
        Instant createdAt) {
}
