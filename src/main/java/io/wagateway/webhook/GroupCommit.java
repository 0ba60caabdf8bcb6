package io.wagateway.webhook;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Group commit without a timer: an item is written at once while a statement slot is free; items that arrive
 * while every slot is busy wait and are then written together, up to {@code batchSize} per statement. Under
 * light load (at most {@code soloBelow} items waiting or being written) every item gets its own statement at
 * once, up to {@code soloBelow} in parallel. At most {@code maxWaiting} items wait (plus the {@link #bounded}
 * work that shares the bound); beyond that they fail at once with {@link BacklogFull}. A waiter that gives up
 * leaves the queue at once. Each waiter is answered on the executor captured when it subscribed (its caller's
 * context). No I/O of its own: the {@link Writer} does the writing.
 *
 * @param <T> what is written
 * @param <R> what a waiter learns about its item
 */
public final class GroupCommit<T, R> {

    /** Writes a batch of items (the same item may come twice); one answer per item, in the order given. */
    @FunctionalInterface
    public interface Writer<T, R> {
        Uni<List<Answer<R>>> write(List<T> items);
    }

    /** The answer for one item: a value, or the failure of that item alone. */
    public record Answer<R>(R value, Throwable failure) {

        public static <R> Answer<R> of(R value) {
            return new Answer<>(value, null);
        }

        public static <R> Answer<R> failed(Throwable failure) {
            return new Answer<>(null, failure);
        }
    }

    /**
     * The bounds: items per statement, statements at once under load, items waiting, and the load up to which
     * every item is written alone.
     */
    public record Limits(int batchSize, int concurrency, int maxWaiting, int soloBelow) {

        public Limits {
            batchSize = Math.max(1, batchSize);
            concurrency = Math.max(1, concurrency);
            maxWaiting = Math.max(1, maxWaiting);
            soloBelow = Math.max(0, soloBelow);
        }
    }

    private final Limits limits;
    private final Writer<T, R> writer;
    private final Supplier<Executor> callerContext;
    private final IntConsumer batchSizes;

    /** Guarded by {@code this}, like the counters below. */
    private final ArrayDeque<Waiter<T, R>> queue = new ArrayDeque<>();
    /** Statements running. */
    private int running;
    /** Items in the running statements. */
    private int writing;
    /** Work running under {@link #bounded}. */
    private int others;

    /**
     * @param callerContext where the caller of {@link #submit} wants its answer, asked at subscription
     * @param batchSizes told the size of every statement started
     */
    public GroupCommit(Limits limits, Writer<T, R> writer, Supplier<Executor> callerContext, IntConsumer batchSizes) {
        this.limits = limits;
        this.writer = writer;
        this.callerContext = callerContext;
        this.batchSizes = batchSizes;
    }

    /**
     * Writes {@code item} with the next statement. {@code release} (may be null) runs once when the item is no
     * longer held here: written, refused for a full backlog, or dropped from the queue by a waiter that gave up.
     */
    public Uni<R> submit(T item, Runnable release) {
        return Uni.createFrom().emitter(emitter -> {
            Waiter<T, R> waiter = new Waiter<>(item, emitter, callerContext.get(), release);
            emitter.onTermination(() -> {
                boolean dropped;
                synchronized (this) {
                    dropped = waiter.queued && queue.remove(waiter);
                    waiter.queued = false;
                }
                if (dropped) {
                    waiter.release();
                }
            });
            boolean full;
            synchronized (this) {
                full = queue.size() + others >= limits.maxWaiting();
                if (!full) {
                    queue.add(waiter);
                    waiter.queued = true;
                }
            }
            if (full) {
                waiter.release();
                emitter.fail(new BacklogFull(limits.maxWaiting()));
                return;
            }
            drain();
        });
    }

    /**
     * Runs {@code work} under the same waiting bound as the queue: while {@code maxWaiting} items and works wait
     * or run, it fails at once with {@link BacklogFull}. The work is subscribed here, not by the caller, so a
     * caller that gives up leaves it counted until it really ends.
     */
    public <V> Uni<V> bounded(Supplier<Uni<? extends V>> work) {
        return Uni.createFrom().emitter(emitter -> {
            boolean full;
            synchronized (this) {
                full = queue.size() + others >= limits.maxWaiting();
                if (!full) {
                    others++;
                }
            }
            if (full) {
                emitter.fail(new BacklogFull(limits.maxWaiting()));
                return;
            }
            Runnable done = () -> {
                synchronized (this) {
                    others--;
                }
            };
            Uni.createFrom().<V> deferred(work).subscribe().with(item -> {
                done.run();
                emitter.complete(item);
            }, failure -> {
                done.run();
                emitter.fail(failure);
            });
        });
    }

    /** Items waiting for a statement plus work running under {@link #bounded}. */
    public synchronized int waiting() {
        return queue.size() + others;
    }

    /** Starts statements while a slot is free and items wait: singles under light load, else batches. */
    private void drain() {
        while (true) {
            List<Waiter<T, R>> batch;
            synchronized (this) {
                boolean solo = queue.size() + writing <= limits.soloBelow();
                if (running >= (solo ? limits.soloBelow() : limits.concurrency())) {
                    return;
                }
                int size = solo ? 1 : limits.batchSize();
                batch = new ArrayList<>(Math.min(queue.size(), size));
                while (batch.size() < size && !queue.isEmpty()) {
                    Waiter<T, R> next = queue.poll();
                    next.queued = false;
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    return;
                }
                running++;
                writing += batch.size();
            }
            batchSizes.accept(batch.size());
            List<T> items = new ArrayList<>(batch.size());
            batch.forEach(waiter -> items.add(waiter.item));
            // deferred: even a writer that throws frees the slot and answers its waiters
            Uni.createFrom().deferred(() -> writer.write(items)).subscribe().with(answers -> {
                for (int i = 0; i < batch.size(); i++) {
                    Answer<R> answer = answers != null && i < answers.size() ? answers.get(i) : null;
                    if (answer == null) {
                        batch.get(i).fail(new IllegalStateException("the writer gave no answer for this item"));
                    } else if (answer.failure() != null) {
                        batch.get(i).fail(answer.failure());
                    } else {
                        batch.get(i).complete(answer.value());
                    }
                }
                finished(batch);
            }, failure -> {
                batch.forEach(waiter -> waiter.fail(failure));
                finished(batch);
            });
        }
    }

    private void finished(List<Waiter<T, R>> batch) {
        synchronized (this) {
            running--;
            writing -= batch.size();
        }
        batch.forEach(Waiter::release);
        drain();
    }

    /** More items and works wait than {@code maxWaiting}: refused at once, without a stack trace. */
    public static final class BacklogFull extends RuntimeException {
        BacklogFull(int waiting) {
            super(waiting + " deliveries are already waiting for the database (gateway.whatsapp.ingest-max-waiting)",
                    null, false, false);
        }
    }

    /** One waiting item, answered on the executor of its caller. */
    private static final class Waiter<T, R> {
        final T item;
        final UniEmitter<? super R> emitter;
        final Executor context;
        /** In the queue; guarded by the group commit. */
        boolean queued;
        private volatile Runnable release;

        Waiter(T item, UniEmitter<? super R> emitter, Executor context, Runnable release) {
            this.item = item;
            this.emitter = emitter;
            this.context = context;
            this.release = release;
        }

        /** No longer held here: runs the release at most once. */
        void release() {
            Runnable held = release;
            release = null;
            if (held != null) {
                held.run();
            }
        }

        void complete(R value) {
            context.execute(() -> emitter.complete(value));
        }

        void fail(Throwable failure) {
            context.execute(() -> emitter.fail(failure));
        }
    }
}
