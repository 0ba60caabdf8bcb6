package io.wagateway.events.dto;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One attempt to deliver an event to a subscription. */
@Schema(name = "DeliveryAttempt")
public record DeliveryAttemptResponse(
        @Schema(description = "The event (its webhook-id)") String eventId,
        @Schema(description = "1 for the first try") int attempt,
        @Schema(description = "The receiver's HTTP status; null when there was no answer", nullable = true) Integer statusCode,
        @Schema(description = "Why there was no answer (timeout, refused connection, ...)", nullable = true) String error,
        long durationMs,
        Instant attemptedAt,
        @Schema(description = "When the next try is due; null when none follows", nullable = true) Instant nextAttemptAt,
        @Schema(description = "The delivery's state now", enumeration = {
                "pending", "delivered", "failed" }) String deliveryState){
}
