package io.wagateway.audit.dto;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One recorded admin write: who, what, which row, when and the outcome. Never a key or a secret's value. */
@Schema(name = "AuditEntry")
public record AuditEntryResponse(
        @Schema(description = "The entry's id (a string of digits)") String id,
        Instant occurredAt,
        @Schema(description = "admin-key-N (N the key's place in gateway.admin.api-keys), or cli for a database command", example = "admin-key-1") String actor,
        @Schema(description = "First 16 hex digits of the key's SHA-256; null for cli", nullable = true, example = "3f1c0a9b7d2e4c65") String keyFingerprint,
        @Schema(example = "settings.update") String action,
        @Schema(example = "settings", nullable = true) String resourceType,
        @Schema(description = "The row's id (or phone number id, wamid)", nullable = true) String resourceId,
        @Schema(example = "PATCH", nullable = true) String method,
        @Schema(description = "The path template", example = "/api/v1/settings/{id}", nullable = true) String path,
        @Schema(description = "HTTP status of the answer", nullable = true) Integer status,
        @Schema(description = "The request's X-Request-Id", nullable = true) String requestId,
        @Schema(description = "Names of the fields the body gave (never their values); {from, to} of a rollback", type = SchemaType.OBJECT, nullable = true) Map<String, Object> details) {
}
