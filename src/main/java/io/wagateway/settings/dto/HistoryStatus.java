package io.wagateway.settings.dto;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The import of the WhatsApp Business app's chat history (coexistence {@code history} webhooks) of one business
 * number: progress per phase, and the latest decline.
 */
@Schema(name = "HistoryStatus")
@RegisterForReflection(targets = { HistoryStatus.Phase.class, HistoryStatus.Declined.class })
public record HistoryStatus(List<Phase> phases, @Schema(nullable = true) Declined declined) {

    /** One phase (0, 1, 2) as Meta reported it and as far as it is imported. */
    @Schema(name = "HistoryPhase")
    public record Phase(
            @Schema(example = "0", nullable = true) Integer phase,
            @Schema(example = "3") long chunks,
            @Schema(example = "2") long chunksImported,
            @Schema(example = "3", nullable = true) Integer lastChunkOrder,
            @Schema(description = "Meta's progress of the phase, in percent", example = "55", nullable = true) Integer progress,
            @Schema(example = "1200") long messages,
            @Schema(example = "800") long messagesImported,
            @Schema(description = "Messages stored by the import (the others were known already)", example = "790") long messagesStored,
            Instant lastReceivedAt,
            @Schema(nullable = true) Instant lastImportedAt) {
    }

    /** The business declined to share its history: Meta's error. */
    @Schema(name = "HistoryDeclined")
    public record Declined(
            @Schema(example = "2593109", nullable = true) Integer code,
            @Schema(example = "History sharing is turned off by the business", nullable = true) String title,
            @Schema(nullable = true) String message,
            @Schema(nullable = true) String details,
            Instant receivedAt) {
    }
}
