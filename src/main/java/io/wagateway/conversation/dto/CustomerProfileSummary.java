package io.wagateway.conversation.dto;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The customer behind a session. */
@Schema(name = "CustomerProfileSummary")
public record CustomerProfileSummary(
        UUID id,
        @Schema(description = "Meta's WhatsApp user id", example = "16505551234") String waId,
        @Schema(example = "Ada Lovelace", nullable = true) String displayName) {
}
