package io.wagateway.events;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * "Events were numbered": fired by this replica's sequencer once its transaction committed, and by the
 * {@code gateway_events} notification that every replica's sequencer sends, so that the streams of every replica
 * read on. A counter of firings lets a reader wait only when nothing was numbered since it last looked.
 */
@ApplicationScoped
public class EventsNumbered {

    private final AtomicLong firings = new AtomicLong();
    private final Set<Runnable> waiters = ConcurrentHashMap.newKeySet();
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();

    /** Counter to pass to {@link #since(long)}; read it before reading the log. */
    public long firings() {
        return firings.get();
    }

    /** Events were numbered (or may have been: a reconnected notification channel); cheap, never fails. */
    public void fire() {
        firings.incrementAndGet();
        waiters.forEach(Runnable::run);
        listeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} at every firing until it is removed ({@link #unlisten(Runnable)}). */
    void listen(Runnable listener) {
        listeners.add(listener);
    }

    void unlisten(Runnable listener) {
        listeners.remove(listener);
    }

    /** Completes at the first firing after {@code seen} (at once when there was one already). */
    public Uni<Void> since(long seen) {
        return Uni.createFrom().emitter(emitter -> {
            Runnable waiter = () -> emitter.complete(null);
            waiters.add(waiter);
            emitter.onTermination(() -> waiters.remove(waiter));
            // a firing between reading the counter and registering is not missed
            if (firings.get() != seen) {
                emitter.complete(null);
            }
        });
    }

    /** Readers waiting (tests). */
    int waiting() {
        return waiters.size();
    }
}
