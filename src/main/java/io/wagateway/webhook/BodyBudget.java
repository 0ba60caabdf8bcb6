package io.wagateway.webhook;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide byte budget for webhook bodies in flight: charged while a body is received (before its
 * signature is checked) and for as long as its bytes are held afterwards (verification, parsing, waiting for and
 * writing to the database). A body that does not fit is refused instead of read, so unauthenticated senders
 * cannot make the service hold more than the budget, however many connections they open.
 *
 * <p>
 * Part of the budget (the reserve) is kept for small bodies, Meta's ordinary deliveries: large bodies alone
 * can never take all of it, so a few large or withheld bodies do not lock out the traffic that matters.
 */
public final class BodyBudget {

    private final long total;
    private final long largeLimit;
    private final long smallBody;
    private final AtomicLong used = new AtomicLong();

    /**
     * @param total bytes all bodies in flight may hold together
     * @param reserve part of {@code total} that only bodies of at most {@code smallBody} bytes may use
     * @param smallBody largest body that may use the reserve
     */
    public BodyBudget(long total, long reserve, long smallBody) {
        if (total <= 0 || reserve < 0 || reserve >= total || smallBody < 0) {
            throw new IllegalArgumentException("body budget " + total + " must be positive and larger than its "
                    + "reserve " + reserve);
        }
        this.total = total;
        this.largeLimit = total - reserve;
        this.smallBody = smallBody;
    }

    /** Bytes charged now. */
    public long used() {
        return used.get();
    }

    public long total() {
        return total;
    }

    /** A new charge of no bytes, held once; grown while its body arrives, freed when its last holder releases it. */
    public Lease open() {
        return new Lease();
    }

    private boolean charge(long bodySize, long more) {
        long limit = bodySize <= smallBody ? total : largeLimit;
        while (true) {
            long now = used.get();
            if (now + more > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + more)) {
                return true;
            }
        }
    }

    /**
     * One body's charge. Reference counted: the reception holds it, and so does every piece of work that still
     * holds the body's bytes (or a row made of them); the bytes return to the budget when the last one releases.
     */
    public final class Lease {

        private final AtomicInteger holders = new AtomicInteger(1);
        /** Written only by the one thread receiving the body. */
        private long bytes;

        private Lease() {
        }

        /** Charges {@code more} bytes of this body; false (nothing charged) when they do not fit. */
        public boolean grow(long more) {
            if (more <= 0) {
                return true;
            }
            if (holders.get() <= 0 || !charge(bytes + more, more)) {
                return false;
            }
            bytes += more;
            return true;
        }

        public long bytes() {
            return bytes;
        }

        /** One more holder; a lease already freed is not revived (false). */
        public boolean retain() {
            while (true) {
                int now = holders.get();
                if (now <= 0) {
                    return false;
                }
                if (holders.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        /** One holder fewer; the last one gives the bytes back. */
        public void release() {
            if (holders.decrementAndGet() == 0) {
                used.addAndGet(-bytes);
            }
        }
    }
}
