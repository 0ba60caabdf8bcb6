package io.wagateway.common;

import java.time.Duration;

/** The service cannot take this request now (a bound is reached, it is stopping): 503 with Retry-After. */
public class UnavailableException extends DomainException {

    private final Duration retryAfter;

    public UnavailableException(String title, String detail, Duration retryAfter) {
        super(title, detail);
        this.retryAfter = retryAfter;
    }

    /** When the client may try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
