package io.wagateway.events.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a replay queued. At most a fixed number of events is looked at per request: while {@code more} is true,
 * send the next request with {@code fromEventId} = {@code lastEventId} + 1.
 */
@Schema(name = "ReplayResult")
public record ReplayResponse(
        @Schema(description = "Deliveries queued again (events still waiting for this subscription are not counted)") long queued,
        @Schema(description = "The last event id looked at", nullable = true) String lastEventId,
        @Schema(description = "More events may follow lastEventId") boolean more) {
}
