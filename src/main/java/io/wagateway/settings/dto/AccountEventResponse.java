package io.wagateway.settings.dto;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** One account webhook change as it applied to a settings row ({@code GET /api/v1/settings/{id}/events}). */
@Schema(name = "AccountEvent")
public record AccountEventResponse(
        @Schema(example = "17") String id,
        UUID settingsId,
        @Schema(description = "The business account (entry.id)", example = "204567891234567", nullable = true) String wabaId,
        @Schema(description = "The webhook field", example = "phone_number_quality_update") String field,
        @Schema(description = "Meta's event (account_update, quality update), alert type or name decision", example = "UPGRADE", nullable = true) String event,
        @Schema(description = "The quality rating this change set", example = "GREEN", nullable = true) String qualityRating,
        @Schema(description = "The messaging limit tier this change set", example = "TIER_10K", nullable = true) String messagingLimitTier,
        @Schema(description = "The account status this change set", example = "ACCOUNT_RESTRICTION", nullable = true) String accountStatus,
        @Schema(description = "The parsed parts: ban state and date, restrictions, violation type, alert fields, limits, name decision", type = SchemaType.OBJECT, nullable = true) JsonNode details,
        @Schema(description = "The change's value as Meta sent it", type = SchemaType.OBJECT) JsonNode value,
        @Schema(description = "Meta's time of the change (entry.time, or the value's timestamp)") Instant eventAt,
        Instant receivedAt) {
}
