package io.wagateway.retention.dto;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A business number's own message retention. */
@Schema(name = "RetentionOverride")
public record RetentionOverride(String phoneNumberId,
        @Schema(description = "ISO-8601 duration, e.g. PT2160H") String messages,
        OffsetDateTime updatedAt) {
}
