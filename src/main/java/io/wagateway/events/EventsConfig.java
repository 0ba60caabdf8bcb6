package io.wagateway.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The event feed: its log, its subscriptions and their dispatch ({@code docs/configuration.md}). */
@ConfigMapping(prefix = "gateway.events")
public interface EventsConfig {

    /** Events (with their deliveries) older than this are dropped. */
    @WithDefault("7d")
    Duration retention();

    /** A delivery still failing this long after its event was fanned out is marked failed (dead letter). */
    @WithDefault("3d")
    Duration maxRetryDuration();

    /** Wait before the first retry; each further retry waits twice as long, with jitter. */
    @WithDefault("1s")
    Duration retryInitialInterval();

    /** Longest wait between two tries. */
    @WithDefault("5m")
    Duration retryMaxInterval();

    /** Subscriber URLs resolving to loopback, private, link-local or unique-local addresses are accepted. */
    @WithDefault("false")
    boolean allowPrivateUrls();

    /** How long a subscriber may take to answer one POST (connecting included). */
    @WithDefault("10s")
    Duration requestTimeout();

    /**
     * How long a claimed delivery, and a subscription's cursor, is held for the replica that took it; past it
     * another replica may take it over (the holder died). Longer than {@link #requestTimeout()}.
     */
    @WithDefault("60s")
    Duration lease();

    /** Most POSTs in flight per replica. */
    @WithDefault("32")
    int maxInFlight();

    /** Safety poll: dispatch also runs this often without a notification (lost notifications, ended leases). */
    @WithDefault("10s")
    Duration pollInterval();

    /** Whether this replica numbers, fans out and dispatches events (false: it only writes and serves them). */
    @WithDefault("true")
    boolean dispatchEnabled();

    /** An event stream with nothing to send this long gets a comment line, so that proxies keep it open. */
    @WithDefault("15s")
    Duration streamHeartbeat();

    /** Most event streams open at once on this replica; more are answered 503 with Retry-After. */
    @WithDefault("100")
    int maxStreams();
}
