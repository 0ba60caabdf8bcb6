package io.wagateway.common;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}). Built only
 * through the factories below, so every answer has the same shape.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(example = "about:blank") String type,
        @Schema(example = "Validation failed") String title,
        @Schema(example = "400") int status,
        @Schema(example = "phoneNumberId: must contain only digits") String detail,
        @Schema(description = "Meta's error code, for Graph API failures") Integer code,
        @Schema(description = "Meta's error subcode, for Graph API failures") Integer errorSubcode,
        @Schema(description = "Meta's trace id, for support tickets") String fbtraceId,
        @Schema(description = "One entry per invalid field") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE = "about:blank";

    public static Problem of(int status, String title, String detail) {
        return new Problem(TYPE, title, status, detail, null, null, null, null);
    }

    /** A problem naming the fields to blame; no list at all when there are none. */
    public static Problem withErrors(int status, String title, String detail, List<FieldError> errors) {
        return new Problem(TYPE, title, status, detail, null, null, null,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }

    /** A 400 for invalid fields; the detail lists them all. */
    public static Problem validation(List<FieldError> errors) {
        return withErrors(400, InvalidInputException.TITLE, FieldError.describe(errors), errors);
    }

    /** A failure of an upstream API, with its own error code, subcode and trace id where it gave them. */
    public static Problem upstream(int status, String title, String detail, Integer code, Integer subcode,
            String traceId) {
        return new Problem(TYPE, title, status, detail, code, subcode, traceId, null);
    }

    /** A 500 for a failure nobody anticipated; the cause is logged, never sent. */
    public static Problem internalError() {
        return of(500, "Internal error",
                "The request failed unexpectedly; the error was logged. Retry later or contact the operator.");
    }
}
