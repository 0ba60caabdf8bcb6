package io.wagateway.common;

import java.util.List;

/** The request itself is wrong (400), with one entry per invalid field where fields are to blame. */
public class InvalidInputException extends DomainException {

    public static final String TITLE = "Validation failed";

    private final transient List<FieldError> errors;

    public InvalidInputException(String title, String detail, List<FieldError> errors) {
        super(title, detail);
        this.errors = List.copyOf(errors);
    }

    /** Every invalid field at once; the detail lists them. */
    public InvalidInputException(List<FieldError> errors) {
        this(TITLE, FieldError.describe(errors), errors);
    }

    /** A request that is wrong as a whole, not in one field. */
    public InvalidInputException(String detail) {
        this(TITLE, detail, List.of());
    }

    public static InvalidInputException field(String field, String message) {
        return new InvalidInputException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
