package io.wagateway.common;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Deletion in bounded batches: runs one batch statement after the other until one comes back short (nothing more
 * is due) or {@code maxBatches} ran (the rest waits for the next run), so no run holds locks or a connection long.
 */
public final class BoundedBatches {

    private BoundedBatches() {
    }

    /** Runs {@code batch} (rows it handled, at most {@code size}) until short; the rows handled in all. */
    public static Uni<Long> untilShort(Supplier<Uni<Long>> batch, long size, int maxBatches) {
        return next(batch, size, maxBatches, 0, 0L);
    }

    private static Uni<Long> next(Supplier<Uni<Long>> batch, long size, int maxBatches, int round, long done) {
        return batch.get().chain(count -> {
            long total = done + count;
            return count < size || round + 1 >= maxBatches ? Uni.createFrom().item(total)
                    : next(batch, size, maxBatches, round + 1, total);
        });
    }
}
