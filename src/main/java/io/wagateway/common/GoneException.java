package io.wagateway.common;

/** The thing a request names existed or was expected but is gone for good (410): a download that failed finally. */
public class GoneException extends DomainException {

    public GoneException(String title, String detail) {
        super(title, detail);
    }
}
