package io.wagateway.media.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The file of a media message, as the API shows it; its bytes are at GET /api/v1/messages/{id}/media. */
@Schema(name = "Media")
@RegisterForReflection(methods = false, fields = false)
public record MediaInfo(
        @Schema(example = "image/jpeg", nullable = true) String mimeType,
        @Schema(description = "Size in bytes, known once Meta announced it", nullable = true) Long fileSize,
        @Schema(description = "Hex SHA-256 of the stored file", nullable = true) String sha256,
        @Schema(description = "A document's filename", nullable = true) String filename,
        @Schema(description = "pending (being downloaded from Meta), stored, or failed (for good)", example = "stored") String status,
        @Schema(description = "Why the download failed (failed), or why the last attempt did (pending)", nullable = true) String error) {
}
