package io.wagateway.events;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** When to try a delivery again: exponential from the initial interval, capped, with jitter. */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    /** {@code random} answers in [0, 1). */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.random = random;
    }

    /**
     * The wait after the {@code attempt}-th failed try (1 = the first): initial * 2^(attempt-1), capped at the
     * maximum, then spread over 75-125% so that receivers coming back are not hit by every retry at once, and
     * capped again.
     */
    public Duration after(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 30);
        long base = Math.min(maxMillis, initialMillis << doublings);
        long jittered = (long) (base * (0.75 + 0.5 * random.getAsDouble()));
        return Duration.ofMillis(Math.min(maxMillis, Math.max(1, jittered)));
    }
}
