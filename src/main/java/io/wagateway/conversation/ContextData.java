package io.wagateway.conversation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * A session's contextData: absent or null, else a JSON object PostgreSQL can store (no U+0000) of at most
 * {@code gateway.api.context-data-max-size} bytes as compact JSON. Nesting depth is bounded for every body.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ContextDataValidator.class)
public @interface ContextData {

    String message() default "must be a JSON object";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
