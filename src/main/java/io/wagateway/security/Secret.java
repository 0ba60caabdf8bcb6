package io.wagateway.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A secret field of an admin request body, checked by {@link SecretRules}; null is left to other constraints. */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Secret.Validator.class)
public @interface Secret {

    /** Fewest characters. */
    int min() default 1;

    /** Accept the empty string (an update that clears the secret). */
    boolean allowEmpty() default false;

    /** Only visible ASCII: the value is sent as an HTTP header. */
    boolean asciiOnly() default false;

    String message() default "is not a usable secret";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Reports the one rule broken, without the value. */
    class Validator implements ConstraintValidator<Secret, String> {

        private Secret rule;

        @Override
        public void initialize(Secret rule) {
            this.rule = rule;
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isEmpty() && rule.allowEmpty()) {
                return true;
            }
            String violation = SecretRules.violation(value, rule.min(), rule.asciiOnly());
            if (violation == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(violation).addConstraintViolation();
            return false;
        }
    }
}
