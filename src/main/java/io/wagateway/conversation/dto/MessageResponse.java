package io.wagateway.conversation.dto;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.wagateway.conversation.MessageDirection;
import io.wagateway.media.dto.MediaInfo;

/** One stored message, inbound or outbound. */
@Schema(name = "Message")
public record MessageResponse(
        UUID id,
        @Schema(description = "Meta's wamid", example = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA") String messageId,
        UUID sessionId,
        @Schema(example = "OUTBOUND") MessageDirection direction,
        @Schema(description = "Meta's message type", example = "text") String messageType,
        @Schema(description = "Text body, caption or a readable summary", example = "Your order has shipped") String content,
        @Schema(description = "accepted, sent, delivered, read, played or failed; null for unread inbound messages", example = "accepted", nullable = true) String status,
        @Schema(description = "Inbound: Meta's message JSON. Outbound: the payload sent and Meta's contacts answer", nullable = true) Map<String, Object> metadata,
        Instant createdAt,
        @Schema(description = "When the customer last edited it (its earlier versions are in metadata.edits)", nullable = true) Instant editedAt,
        @Schema(description = "When the customer revoked (deleted) it; its content is then a placeholder unless gateway.messages.keep-revoked-content", nullable = true) Instant revokedAt,
        @Schema(description = "The file of an image, video, audio, document or sticker message (absent for other types); "
                + "its bytes: GET /api/v1/messages/{id}/media", nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) MediaInfo media) {

    /** The same message showing {@code info} as its media. */
    public MessageResponse withMedia(MediaInfo info) {
        return info == null ? this
                : new MessageResponse(id, messageId, sessionId, direction, messageType, content, status, metadata,
                        createdAt, editedAt, revokedAt, info);
    }
}
