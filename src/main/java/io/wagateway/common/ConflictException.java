package io.wagateway.common;

/** The request is valid but the current state forbids it (409): another row holds the key, a window is closed. */
public class ConflictException extends DomainException {

    public ConflictException(String title, String detail) {
        super(title, detail);
    }
}
