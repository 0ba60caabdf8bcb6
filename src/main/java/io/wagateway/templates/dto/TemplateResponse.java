package io.wagateway.templates.dto;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A message template of a business account, as last learned from the Graph API or a webhook. */
@Schema(name = "Template")
public record TemplateResponse(UUID id, String wabaId, String templateId, @Schema(nullable = true) String name,
        @Schema(nullable = true) String language, @Schema(nullable = true) String category,
        @Schema(nullable = true) String status, @Schema(nullable = true) String quality,
        @Schema(nullable = true) JsonNode components, @Schema(nullable = true) String rejectionReason,
        Instant updatedAt) {
}
