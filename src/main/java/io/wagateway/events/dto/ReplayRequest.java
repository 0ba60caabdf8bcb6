package io.wagateway.events.dto;

import java.time.Instant;

import jakarta.validation.constraints.PositiveOrZero;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Which events to send again: from an event id on, or from a time on (exactly one of the two). */
@Schema(name = "Replay")
public record ReplayRequest(
        @Schema(description = "The first event id to send again (inclusive)", nullable = true, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, example = "1042") @PositiveOrZero Long fromEventId,
        @Schema(description = "Events from this time on (their commit time, inclusive)", nullable = true) Instant since) {
}
