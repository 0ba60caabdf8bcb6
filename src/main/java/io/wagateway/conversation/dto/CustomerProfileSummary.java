package io.wagateway.conversation.dto;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The customer behind a session. */
@Schema(name = "CustomerProfileSummary")
public record CustomerProfileSummary(
        UUID id,
        @Schema(description = "Meta's WhatsApp user id: the phone number, else the BSUID while the phone is withheld", example = "16505551234") String waId,
        @Schema(example = "Ada Lovelace", nullable = true) String displayName,
        @Schema(description = "Business-scoped user id (BSUID)", example = "US.13491208655302741918", nullable = true) String userId,
        @Schema(description = "WhatsApp username", example = "ada.lovelace", nullable = true) String username) {
}
