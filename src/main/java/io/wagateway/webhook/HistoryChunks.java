package io.wagateway.webhook;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;

/**
 * The one writer of {@code whatsapp_history_chunks} (V17): keeps the history[] items of a history webhook before it
 * is answered, and the import's claims (a lease per chunk, taken with SKIP LOCKED) and cursor.
 */
@ApplicationScoped
public class HistoryChunks {

    /** One history[] item to keep; {@code payload} and {@code errors} are JSON text. */
    public record Chunk(String phoneNumberId, String wabaId, String displayPhoneNumber, Integer phase,
            Integer chunkOrder, Integer progress, String payload, String errors, int messageCount) {
    }

    /** A chunk claimed for import: its cursor {@code importedCount} of {@code messageCount}. */
    public record Claimed(long id, String phoneNumberId, String wabaId, String displayPhoneNumber, String payload,
            int importedCount, int messageCount, Instant receivedAt) {
    }

    private final String keep = SqlFiles.load("webhook/history-keep.sql");
    private final String claim = SqlFiles.load("webhook/history-claim.sql");
    private final String advance = SqlFiles.load("webhook/history-advance.sql");
    private final String release = SqlFiles.load("webhook/history-release.sql");

    private final Pool pool;
    private volatile Runnable onKept = () -> {
    };

    public HistoryChunks(Pool pool) {
        this.pool = pool;
    }

    /** Called after chunks with messages were kept (the import job starts a run). */
    void onKept(Runnable listener) {
        this.onKept = listener;
    }

    /** Keeps the chunks in one statement (its own transaction); how many were new. */
    public Uni<Integer> keep(List<Chunk> chunks) {
        int n = chunks.size();
        String[] numbers = new String[n], wabas = new String[n], displays = new String[n], payloads = new String[n],
                errors = new String[n];
        Integer[] phases = new Integer[n], orders = new Integer[n], progress = new Integer[n], counts = new Integer[n];
        for (int i = 0; i < n; i++) {
            Chunk c = chunks.get(i);
            numbers[i] = c.phoneNumberId();
            wabas[i] = c.wabaId();
            displays[i] = c.displayPhoneNumber();
            phases[i] = c.phase();
            orders[i] = c.chunkOrder();
            progress[i] = c.progress();
            payloads[i] = c.payload();
            errors[i] = c.errors();
            counts[i] = c.messageCount();
        }
        Tuple params = Tuple.tuple().addArrayOfString(numbers).addArrayOfString(wabas).addArrayOfString(displays)
                .addArrayOfInteger(phases).addArrayOfInteger(orders).addArrayOfInteger(progress)
                .addArrayOfString(payloads).addArrayOfString(errors).addArrayOfInteger(counts);
        return pool.preparedQuery(keep).execute(params).map(rows -> rows.rowCount()).invoke(kept -> {
            if (kept > 0 && chunks.stream().anyMatch(c -> c.messageCount() > 0)) {
                onKept.run();
            }
        });
    }

    /** Claims one chunk for {@code replica} for {@code leaseSeconds}; null when none is waiting. */
    Uni<Claimed> claim(String replica, long leaseSeconds) {
        return pool.preparedQuery(claim).execute(Tuple.of(replica, leaseSeconds)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                return null;
            }
            Row row = rows.iterator().next();
            return new Claimed(row.getLong("id"), row.getString("phone_number_id"), row.getString("waba_id"),
                    row.getString("display_phone_number"), row.getString("payload"), row.getInteger("imported_count"),
                    row.getInteger("message_count"), row.getOffsetDateTime("received_at").toInstant());
        });
    }

    /** Moves the cursor in the batch's transaction; false when {@code replica} no longer holds the claim. */
    Uni<Boolean> advance(SqlClient tx, long id, String replica, int cursor, int stored, boolean done,
            long leaseSeconds) {
        return tx.preparedQuery(advance).execute(Tuple.tuple().addValue(id).addValue(replica).addValue(cursor)
                .addValue(stored).addValue(done).addValue(leaseSeconds)).map(rows -> rows.rowCount() > 0);
    }

    /** Gives up a claim after a failed batch: the chunk waits {@code backoffSeconds} before it is taken again. */
    Uni<Void> release(long id, String replica, long backoffSeconds) {
        return pool.preparedQuery(release).execute(Tuple.of(id, replica, backoffSeconds)).replaceWithVoid();
    }

}
