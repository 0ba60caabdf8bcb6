package io.wagateway.common;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a repeated warning through once per key and interval, so that a flood (forged requests, a number
 * without settings receiving thousands of messages) cannot turn logging into the bottleneck. Metrics still
 * count every occurrence; the log line says how many were suppressed.
 */
public final class LogThrottle {

    private static final int MAX_KEYS = 10_000;

    private final long intervalNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        volatile long openedAt;
        final AtomicLong suppressed = new AtomicLong();

        Window(long openedAt) {
            this.openedAt = openedAt;
        }
    }

    public LogThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * -1 when this occurrence should not be logged; otherwise the number of occurrences suppressed since the
     * last one that was (0 the first time).
     */
    public long admit(String key) {
        long now = System.nanoTime();
        if (windows.size() > MAX_KEYS) {
            windows.clear();
        }
        Window window = windows.get(key);
        if (window == null) {
            Window fresh = new Window(now);
            window = windows.putIfAbsent(key, fresh);
            if (window == null) {
                return 0;
            }
        }
        synchronized (window) {
            if (now - window.openedAt >= intervalNanos) {
                window.openedAt = now;
                return window.suppressed.getAndSet(0);
            }
        }
        window.suppressed.incrementAndGet();
        return -1;
    }
}
