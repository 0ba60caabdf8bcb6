package io.wagateway.retention.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The retention to set: a duration such as {@code 90d}, {@code 12h} or {@code P90D}. */
@Schema(name = "PutRetention")
public record PutRetentionRequest(@NotBlank @Size(max = 32) String messages) {
}
