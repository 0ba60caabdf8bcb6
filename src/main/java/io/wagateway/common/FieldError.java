package io.wagateway.common;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One invalid input field: where (a JSON path or parameter name) and what is wrong with it. */
@RegisterForReflection
@Schema(name = "FieldError")
public record FieldError(@Schema(example = "phoneNumberId") String field,
        @Schema(example = "must not be blank") String message) {

    /** The errors as one sentence ({@code field: message; field: message}), the detail of a validation problem. */
    public static String describe(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b)
                .orElse("The request is invalid.");
    }
}
