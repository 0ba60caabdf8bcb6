package io.wagateway.conversation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wagateway.common.DataErrors;
import io.wagateway.graph.GraphConfig;

/**
 * Rows of sends that Meta accepted but that could not be stored: the caller already has the wamid (202), so the
 * row is written later here, retried with backoff on a Vert.x context of its own for
 * {@code gateway.graph.send-repair-for}. Meta's status webhooks for it wait in whatsapp_pending_statuses
 * meanwhile and are applied when the row is written. Bounded by {@code gateway.graph.send-repair-max-bytes};
 * what does not fit, fails for good or is still waiting at shutdown is logged at ERROR with its wamid.
 */
@ApplicationScoped
public class SendRepair {

    private static final Logger LOG = Logger.getLogger(SendRepair.class);
    static final long FIRST_DELAY_MS = 1_000;
    static final long MAX_DELAY_MS = 30_000;

    private final Vertx vertx;
    private final GraphConfig config;
    private final AtomicLong bytes = new AtomicLong();
    /** wamid -> bytes held, of the rows waiting. */
    private final Map<String, Long> waiting = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public SendRepair(Vertx vertx, GraphConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    /** Runs {@code attempt} up to {@code attempts} times on the current Vert.x context, waiting between tries. */
    <T> Uni<T> retry(Supplier<Uni<T>> attempt, int attempts, long delayMs) {
        Uni<T> first = Uni.createFrom().deferred(attempt::get);
        if (attempts <= 1) {
            return first;
        }
        return first.onFailure(f -> !isPermanent(f)).recoverWithUni(f -> delay(delayMs)
                .chain(() -> retry(attempt, attempts - 1, delayMs * 4)));
    }

    /**
     * Keeps retrying {@code store} in the background. False when the budget is full (the row is then only
     * logged). {@code size} is an estimate of the heap the attempt's closure holds.
     */
    boolean submit(String wamid, String phoneNumberId, long size, Supplier<Uni<?>> store) {
        long max = config.sendRepairMaxBytes();
        if (stopped || bytes.addAndGet(size) > max) {
            bytes.addAndGet(-size);
            LOG.errorf("Message wamid=%s was sent via phone_number_id=%s but could not be stored, and the repair "
                    + "budget (gateway.graph.send-repair-max-bytes) is full: the row is lost", wamid, phoneNumberId);
            return false;
        }
        waiting.put(wamid, size);
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        long deadline = System.nanoTime() + config.sendRepairFor().toNanos();
        schedule(context, wamid, phoneNumberId, store, 1, FIRST_DELAY_MS, deadline);
        return true;
    }

    /** How many rows wait to be written (for tests and logs). */
    int waiting() {
        return waiting.size();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (!waiting.isEmpty()) {
            LOG.errorf("%d sent message(s) were not stored at shutdown: wamid=%s", waiting.size(),
                    String.join(",", waiting.keySet().stream().limit(100).toList()));
        }
    }

    private void schedule(Context context, String wamid, String phoneNumberId, Supplier<Uni<?>> store, int attempt,
            long delayMs, long deadline) {
        vertx.setTimer(delayMs, timer -> context.runOnContext(ignored -> Uni.createFrom().deferred(store::get).subscribe()
                .with(stored -> {
                    release(wamid);
                    LOG.infof("Message wamid=%s (phone_number_id=%s) stored after %d background attempt(s)", wamid,
                            phoneNumberId, attempt);
                }, failure -> {
                    if (stopped) {
                        return;
                    }
                    if (isPermanent(failure) || System.nanoTime() - deadline > 0) {
                        release(wamid);
                        LOG.errorf("Message wamid=%s was sent via phone_number_id=%s but could not be stored after %d "
                                + "background attempt(s) (%s): the row is lost", wamid, phoneNumberId, attempt,
                                describe(failure));
                        return;
                    }
                    schedule(context, wamid, phoneNumberId, store, attempt + 1, Math.min(delayMs * 2, MAX_DELAY_MS),
                            deadline);
                })));
    }

    private void release(String wamid) {
        Long size = waiting.remove(wamid);
        if (size != null) {
            bytes.addAndGet(-size);
        }
    }

    private Uni<Void> delay(long ms) {
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(ms, timer -> emitter.complete(null)));
    }

    /** A data error PostgreSQL reports ({@link DataErrors}): the same row fails the same way every time. */
    static boolean isPermanent(Throwable failure) {
        return DataErrors.isDataError(DataErrors.sqlState(failure));
    }

    /** The failure as a log may show it: class and SQLSTATE, never a message (it may quote values). */
    static String describe(Throwable failure) {
        String state = DataErrors.sqlState(failure);
        return failure.getClass().getSimpleName() + (state == null ? "" : ", SQLSTATE " + state);
    }
}
