package io.wagateway.conversation.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A customer as a session's customerProfile shows them, with the sessions held for them. */
@Schema(name = "Customer")
public record CustomerResponse(
        UUID id,
        @Schema(description = "Meta's WhatsApp user id", example = "16505551234") String waId,
        @Schema(example = "Ada Lovelace", nullable = true) String displayName,
        Instant createdAt,
        @Schema(description = "Moves with each of their stored inbound messages") Instant updatedAt,
        @Schema(description = "Their sessions (linked to them, or of their number), oldest first") List<CustomerSession> sessions) {

    /** One session of a customer. */
    @Schema(name = "CustomerSession")
    public record CustomerSession(
            UUID id,
            @Schema(description = "Customer phone number, digits only", example = "16505551234") String phoneNumber) {
    }
}
