package io.wagateway.conversation;

import java.time.Duration;
import java.time.Instant;

/**
 * Meta's 24-hour customer service window: open while now is before the customer's last inbound message
 * (its Meta timestamp) plus 24 hours. Outside it only approved templates may be sent.
 */
public final class SessionWindow {

    public static final Duration LENGTH = Duration.ofHours(24);

    private SessionWindow() {
    }

    /** When the window closes, or null when the customer never wrote. */
    public static Instant expiresAt(Instant lastInboundAt) {
        return lastInboundAt == null ? null : lastInboundAt.plus(LENGTH);
    }

    public static boolean isOpen(Instant lastInboundAt, Instant now) {
        return lastInboundAt != null && now.isBefore(expiresAt(lastInboundAt));
    }
}
