package io.wagateway.common;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * A background job on a Vert.x timer: the first run after {@code firstMillis}, then one every {@code periodMillis};
 * a run still going when the next one is due is not doubled (that tick is skipped). Each run's result or failure
 * goes to the caller's handlers (logging); nothing blocks the event loop.
 */
public final class PeriodicJob {

    private final Vertx vertx;
    private final long timer;

    private PeriodicJob(Vertx vertx, long timer) {
        this.vertx = vertx;
        this.timer = timer;
    }

    public static <T> PeriodicJob start(Vertx vertx, long firstMillis, long periodMillis, Supplier<Uni<T>> run,
            Consumer<T> done, Consumer<Throwable> failed) {
        AtomicBoolean running = new AtomicBoolean();
        long timer = vertx.setPeriodic(Math.max(1, firstMillis), periodMillis, id -> {
            if (running.compareAndSet(false, true)) {
                Uni.createFrom().<T> deferred(run::get).onTermination().invoke(() -> running.set(false)).subscribe()
                        .with(done, failed);
            }
        });
        return new PeriodicJob(vertx, timer);
    }

    public void stop() {
        vertx.cancelTimer(timer);
    }
}
