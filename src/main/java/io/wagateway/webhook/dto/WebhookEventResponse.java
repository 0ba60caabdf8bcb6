package io.wagateway.webhook.dto;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A webhook change kept raw ({@code GET /api/v1/webhook-events}). */
@Schema(name = "WebhookEvent")
public record WebhookEventResponse(
        @Schema(example = "42") String id,
        @Schema(description = "The webhook field (changes[].field)", example = "group_lifecycle_update") String field,
        @Schema(description = "entry[].id: the business account", example = "204567891234567", nullable = true) String entryId,
        @Schema(description = "entry[].time", nullable = true) Instant entryTime,
        @Schema(description = "unhandled: a field the gateway does not store elsewhere; unrouted: a handled field "
                + "for an unknown business number or account", example = "unhandled") String reason,
        @Schema(description = "changes[].value as Meta sent it", type = SchemaType.OBJECT) JsonNode payload,
        Instant receivedAt) {
}
