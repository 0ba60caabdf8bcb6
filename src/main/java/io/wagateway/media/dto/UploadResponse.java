package io.wagateway.media.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A file uploaded to Meta and stored: send it with {@code {"type":"image","image":{"id":"<id>"}}}. */
@Schema(name = "MediaUpload")
@RegisterForReflection(methods = false, fields = false)
public record UploadResponse(
        @Schema(description = "Meta's media id", example = "1037543291543636") String id,
        @Schema(description = "Hex SHA-256 of the file") String sha256,
        @Schema(example = "application/pdf") String mimeType,
        long fileSize,
        @Schema(nullable = true) String filename,
        String phoneNumberId) {
}
