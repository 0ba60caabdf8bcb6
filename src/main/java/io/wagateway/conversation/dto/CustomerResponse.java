package io.wagateway.conversation.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A customer as a session's customerProfile shows them, with the sessions held for them. */
@Schema(name = "Customer")
public record CustomerResponse(
        UUID id,
        @Schema(description = "Meta's WhatsApp user id: the phone number, else the BSUID while the phone is withheld", example = "16505551234") String waId,
        @Schema(example = "Ada Lovelace", nullable = true) String displayName,
        @Schema(description = "Business-scoped user id (BSUID)", example = "US.13491208655302741918", nullable = true) String userId,
        @Schema(description = "Parent BSUID (shared by several business portfolios)", nullable = true) String parentUserId,
        @Schema(description = "WhatsApp username", example = "ada.lovelace", nullable = true) String username,
        @Schema(description = "The user's country code, as Meta gives it", example = "US", nullable = true) String countryCode,
        Instant createdAt,
        @Schema(description = "Moves with each of their stored inbound messages") Instant updatedAt,
        @Schema(description = "Their sessions (linked to them, or of their number), oldest first") List<CustomerSession> sessions) {

    /** One session of a customer. */
    @Schema(name = "CustomerSession")
    public record CustomerSession(
            UUID id,
            @Schema(description = "Customer phone number, digits only (the BSUID while the phone is withheld)", example = "16505551234") String phoneNumber) {
    }
}
