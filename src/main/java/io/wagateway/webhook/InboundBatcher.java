package io.wagateway.webhook;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.InboundRow;

/**
 * Group commit for lone inbound messages, the bulk of Meta's traffic. A message is written at once when a
 * statement slot is free ({@code gateway.whatsapp.ingest-concurrency}); messages that arrive while every slot
 * is busy wait and are then written together by one statement ({@code inbound-batch.sql}), so PostgreSQL
 * parses, plans, locks and commits once for many deliveries. No timer: an idle service writes each message
 * alone, with the same statement and latency as without batching. Under light load (at most
 * {@code gateway.whatsapp.ingest-solo-below} messages in flight) every message gets its own statement at once,
 * up to that many in parallel: groups of 2-3 cost PostgreSQL more than singles and would make each wait its turn.
 *
 * <p>
 * Each delivery is answered from the commit that holds its message. When a group fails with an error
 * PostgreSQL reports (not an outage), its messages are written again one by one, so one poisoned message
 * never costs the others their 200; an outage fails them all, and each is answered 503.
 *
 * <p>
 * Bounded for a database that stops answering: at most {@code gateway.whatsapp.ingest-max-waiting} deliveries
 * wait (lone messages here, deliveries of several items in {@link #bounded}); one that gives up is dropped from the
 * queue at once, and every message holds its body's charge of the {@link BodyBudget} until it is written or dropped.
 */
@ApplicationScoped
public class InboundBatcher {

    private static final Logger LOG = Logger.getLogger(InboundBatcher.class);

    private final Pool pool;
    private final ConversationWrites repository;
    private final DeadLetterWriter deadLetters;
    private final WebhookMetrics metrics;
    private final int maxBatch;
    private final int maxConcurrency;
    private final int maxWaiting;
    private final int soloBelow;

    /** Guarded by {@code this}, like {@link #running} and {@link #writing}. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Statements running. */
    private int running;
    /** Messages in the running statements. */
    private int writing;
    /** Deliveries in their own transaction ({@link #bounded}). */
    private int others;

    public InboundBatcher(Pool pool, ConversationWrites repository, DeadLetterWriter deadLetters, WebhookMetrics metrics,
            WebhookConfig config) {
        this.pool = pool;
        this.repository = repository;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.maxBatch = Math.max(1, config.ingestBatchSize());
        this.maxConcurrency = Math.max(1, config.ingestConcurrency());
        this.maxWaiting = Math.max(1, config.ingestMaxWaiting());
        this.soloBelow = Math.max(0, config.ingestSoloBelow());
    }

    /** Stores one inbound message: true when stored now, false when its wamid was stored before. */
    public Uni<Boolean> store(InboundRow row) {
        return Uni.createFrom().emitter(emitter -> {
            Pending pending = new Pending(row, emitter, Vertx.currentContext());
            pending.lease = heldLease();
            // A request that gave up (ingest timeout) before its turn was answered 503: its row leaves the queue now,
            // so a database that stopped answering cannot make the service hold answered payloads.
            emitter.onTermination(() -> {
                boolean dropped;
                synchronized (this) {
                    dropped = pending.queued && queue.remove(pending);
                    pending.queued = false;
                }
                if (dropped) {
                    pending.drop();
                }
            });
            boolean full;
            synchronized (this) {
                full = queue.size() + others >= maxWaiting;
                if (!full) {
                    queue.add(pending);
                    pending.queued = true;
                }
            }
            if (full) {
                pending.drop();
                emitter.fail(new BacklogFullException(maxWaiting));
                return;
            }
            drain();
        });
    }

    /**
     * Runs a delivery that is not one lone message (its own transaction) under the same waiting bound as the
     * queue: more than {@code gateway.whatsapp.ingest-max-waiting} deliveries waiting or being written are answered
     * 503 at once. The work's payload stays charged to the body budget until the work itself ends, even when its
     * delivery was answered before (the pool's acquisition timeout ends a wait for a connection).
     */
    public <T> Uni<T> bounded(java.util.function.Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            boolean full;
            synchronized (this) {
                full = queue.size() + others >= maxWaiting;
                if (!full) {
                    others++;
                }
            }
            if (full) {
                emitter.fail(new BacklogFullException(maxWaiting));
                return;
            }
            BodyBudget.Lease lease = heldLease();
            Runnable done = () -> {
                synchronized (this) {
                    others--;
                }
                if (lease != null) {
                    lease.release();
                }
            };
            // subscribed here, not by the caller: a caller that gives up does not hide the end of the work
            Uni.createFrom().<T> deferred(work).subscribe().with(item -> {
                done.run();
                emitter.complete(item);
            }, failure -> {
                done.run();
                emitter.fail(failure);
            });
        });
    }

    /** Deliveries waiting for a group statement or running in their own transaction (tests, metrics). */
    synchronized int waiting() {
        return queue.size() + others;
    }

    /** The body budget's charge of the request being served, held once more by the caller; null outside one. */
    private static BodyBudget.Lease heldLease() {
        Context context = Vertx.currentContext();
        Object lease = context == null ? null : context.getLocal(WebhookRoute.LEASE);
        return lease instanceof BodyBudget.Lease held && held.retain() ? held : null;
    }

    /** Starts statements while a slot is free and messages wait: singles under light load, else groups. */
    private void drain() {
        while (true) {
            List<Pending> batch;
            synchronized (this) {
                boolean solo = queue.size() + writing <= soloBelow;
                if (running >= (solo ? soloBelow : maxConcurrency)) {
                    return;
                }
                int size = solo ? 1 : maxBatch;
                batch = new ArrayList<>(Math.min(queue.size(), size));
                while (batch.size() < size && !queue.isEmpty()) {
                    Pending next = queue.poll();
                    next.queued = false;
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    return;
                }
                running++;
                writing += batch.size();
            }
            metrics.ingestBatch(batch.size());
            // deferred: even a bug while building the statement frees the slot and answers the waiting requests
            Uni.createFrom().deferred(() -> write(batch)).subscribe().with(ignored -> finished(batch), failure -> {
                batch.forEach(pending -> pending.fail(failure));
                finished(batch);
            });
        }
    }

    private void finished(List<Pending> batch) {
        synchronized (this) {
            running--;
            writing -= batch.size();
        }
        batch.forEach(Pending::drop);
        drain();
    }

    private Uni<Void> write(List<Pending> batch) {
        // One row per wamid: concurrent redeliveries of one message share its row; the first is "stored".
        Map<String, List<Pending>> byWamid = new LinkedHashMap<>();
        for (Pending pending : batch) {
            byWamid.computeIfAbsent(pending.row.wamid(), k -> new ArrayList<>(1)).add(pending);
        }
        if (byWamid.size() == 1) {
            List<Pending> same = byWamid.values().iterator().next();
            return writeOne(same.get(0).row, same);
        }
        List<InboundRow> rows = new ArrayList<>(byWamid.size());
        byWamid.values().forEach(same -> rows.add(same.get(0).row));
        rows.sort(InboundRow.LOCK_ORDER);
        return ConversationWrites.retryingConflicts(repository.insertInboundBatch(pool, rows))
                .onItem().invoke(stored -> byWamid.forEach((wamid, same) -> answer(same, stored.contains(wamid))))
                .replaceWithVoid()
                .onFailure(PgException.class).recoverWithUni(failure -> {
                    LOG.warnf("A group of %d inbound messages was refused (PostgreSQL %s: %s); writing them one by "
                            + "one", rows.size(), ((PgException) failure).getSqlState(),
                            LogValue.of(((PgException) failure).getErrorMessage()));
                    Uni<Void> each = Uni.createFrom().voidItem();
                    for (List<Pending> same : byWamid.values()) {
                        each = each.chain(() -> writeOne(same.get(0).row, same));
                    }
                    return each;
                })
                .onFailure().invoke(failure -> byWamid.values().forEach(same -> fail(same, failure)))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> writeOne(InboundRow row, List<Pending> same) {
        return ConversationWrites.retryingConflicts(repository.insertInbound(pool, row))
                .onItem().invoke(stored -> answer(same, stored))
                .replaceWithVoid()
                // A data error for this row is refused on every retry: kept as a dead letter, its deliveries acknowledged.
                .onFailure(ConversationWrites::isPermanent).recoverWithUni(failure -> DeadLetter.keep(deadLetters, pool,
                        metrics, DeadLetter.message(row, (PgException) failure)).invoke(kept -> fail(same, kept))
                        .replaceWithVoid())
                .onFailure().invoke(failure -> fail(same, failure))
                .onFailure().recoverWithNull();
    }

    private static void answer(List<Pending> same, boolean stored) {
        for (int i = 0; i < same.size(); i++) {
            same.get(i).complete(stored && i == 0);
        }
    }

    private static void fail(List<Pending> same, Throwable failure) {
        same.forEach(pending -> pending.fail(failure));
    }

    /** More deliveries wait than {@code gateway.whatsapp.ingest-max-waiting}: answered 503 at once. */
    static final class BacklogFullException extends RuntimeException {
        BacklogFullException(int waiting) {
            super(waiting + " deliveries are already waiting for the database (gateway.whatsapp.ingest-max-waiting)",
                    null, false, false);
        }
    }

    /** One waiting delivery's message; answered on the Vert.x context of its request. */
    private static final class Pending {
        final InboundRow row;
        final UniEmitter<? super Boolean> emitter;
        final Context context;
        /** In {@link #queue}; guarded by the batcher. */
        boolean queued;
        /** The delivery's body budget charge, held while this message is queued or written. */
        volatile BodyBudget.Lease lease;

        Pending(InboundRow row, UniEmitter<? super Boolean> emitter, Context context) {
            this.row = row;
            this.emitter = emitter;
            this.context = context;
        }

        /** This message is no longer held here: its bytes go back to the body budget. */
        void drop() {
            BodyBudget.Lease held = lease;
            lease = null;
            if (held != null) {
                held.release();
            }
        }

        void complete(boolean stored) {
            onContext(() -> emitter.complete(stored));
        }

        void fail(Throwable failure) {
            onContext(() -> emitter.fail(failure));
        }

        private void onContext(Runnable action) {
            if (context == null || context == Vertx.currentContext()) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }
}
