package io.wagateway.common;

/**
 * The request is well-formed but a field refers to something that does not exist (422), e.g. a send through a
 * phoneNumberId that has no active settings row; unlike {@link NotFoundException}, the URL itself is fine.
 */
public class UnknownReferenceException extends DomainException {

    private final transient FieldError error;

    public UnknownReferenceException(String title, String detail, FieldError error) {
        super(title, detail);
        this.error = error;
    }

    public FieldError error() {
        return error;
    }
}
