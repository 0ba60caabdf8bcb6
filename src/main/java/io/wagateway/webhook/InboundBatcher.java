package io.wagateway.webhook;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wagateway.conversation.InboundRow;
import io.wagateway.webhook.InboundRows.StatusWrite;
import io.wagateway.webhook.InboundWriter.Outcome;

/**
 * The service's {@link GroupCommit}s: one of lone inbound messages, written by {@link InboundWriter}, and one of
 * statuses, written by {@link StatusWriter}, each with the bounds of {@code gateway.whatsapp.ingest-*}. Ties it to the request:
 * each waiter is answered on its request's Vert.x
 * context, and every message (and every delivery run under {@link #bounded}) holds its body's charge of the
 * {@link BodyBudget} until it is written or dropped, so a database that stops answering cannot make the service
 * hold answered payloads.
 */
@ApplicationScoped
public class InboundBatcher {

    private final GroupCommit<InboundRow, Outcome> commit;
    private final GroupCommit<StatusWrite, Written> statuses;

    public InboundBatcher(InboundWriter writer, StatusWriter statusWriter, WebhookMetrics metrics,
            WebhookConfig config) {
        GroupCommit.Limits limits = new GroupCommit.Limits(config.ingestBatchSize(), config.ingestConcurrency(),
                config.ingestMaxWaiting(), config.ingestSoloBelow());
        this.commit = new GroupCommit<>(limits, writer, InboundBatcher::callerContext, metrics::ingestBatch);
        this.statuses = new GroupCommit<>(new GroupCommit.Limits(config.ingestBatchSize(), config.ingestConcurrency(),
                config.ingestMaxWaiting(), config.statusSoloBelow()), statusWriter, InboundBatcher::callerContext,
                metrics::statusBatch);
    }

    /** Stores one inbound message with the next statement. */
    public Uni<Outcome> store(InboundRow row) {
        return Uni.createFrom().deferred(() -> commit.submit(row, heldLease()));
    }

    /** Applies one status with the next statement of the statuses' group commit. */
    public Uni<Written> apply(StatusWrite status) {
        return Uni.createFrom().deferred(() -> statuses.submit(status, heldLease()));
    }

    /**
     * Runs a delivery that is not one lone message (its own transaction) under the same waiting bound as the
     * queue. Its payload stays charged to the body budget until the work itself ends, even when its delivery was
     * answered before (the pool's acquisition timeout ends a wait for a connection).
     */
    public <T> Uni<T> bounded(Supplier<Uni<? extends T>> work) {
        return commit.bounded(() -> {
            Runnable release = heldLease();
            Uni<? extends T> running = Uni.createFrom().deferred(work);
            return release == null ? running : running.onTermination().invoke(release);
        });
    }

    /** Deliveries (and statuses) waiting for a group statement or running in their own transaction (tests, metrics). */
    int waiting() {
        return commit.waiting() + statuses.waiting();
    }

    /** The body budget's charge of the request being served, held once more; null outside one. */
    private static Runnable heldLease() {
        Context context = Vertx.currentContext();
        Object lease = context == null ? null : context.getLocal(WebhookRoute.LEASE);
        return lease instanceof BodyBudget.Lease held && held.retain() ? held::release : null;
    }

    /** Answers on the Vert.x context of the caller (at once when already on it). */
    private static Executor callerContext() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Runnable::run;
        }
        return task -> {
            if (context == Vertx.currentContext()) {
                task.run();
            } else {
                context.runOnContext(ignored -> task.run());
            }
        };
    }
}
