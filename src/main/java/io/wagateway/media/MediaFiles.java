package io.wagateway.media;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;

/**
 * The one writer of {@code gateway_media_files} and {@code gateway_media_chunks} (Vert.x SQL client, SQL in
 * db/media): chunks under a staging key, their rename to the checked hash with the file's row (one transaction),
 * the files an S3 store holds, and the sweep of files nothing references any more.
 */
@ApplicationScoped
public class MediaFiles {

    private final String fileCommit = SqlFiles.load("media/file-commit.sql");
    private final String chunkInsert = SqlFiles.load("media/chunk-insert.sql");
    private final String chunksRename = SqlFiles.load("media/chunks-rename.sql");
    private final String chunksDelete = SqlFiles.load("media/chunks-delete.sql");
    private final String chunksDeleteStaging = SqlFiles.load("media/chunks-delete-staging.sql");
    private final String chunkRead = SqlFiles.load("media/chunk-read.sql");
    private final String orphans = SqlFiles.load("media/orphans.sql");
    private final String stagingOrphans = SqlFiles.load("media/staging-orphans.sql");
    private final Pool pool;

    public MediaFiles(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> writeChunk(String key, int seq, io.vertx.core.buffer.Buffer data) {
        return pool.preparedQuery(chunkInsert).execute(Tuple.of(key, seq, data)).replaceWithVoid();
    }

    /**
     * The chunks written under {@code stagingKey} become file {@code sha256}, recorded with its row; when the file
     * is stored already (another message's copy), the staging chunks are dropped instead. One transaction.
     */
    Uni<Void> commitChunks(String stagingKey, String sha256, long size, int chunkBytes) {
        return pool.withTransaction(tx -> tx.preparedQuery(fileCommit)
                .execute(Tuple.of(sha256, size, DatabaseStore.NAME, chunkBytes))
                .chain(rows -> rows.iterator().next().getBoolean("inserted")
                        ? tx.preparedQuery(chunksRename).execute(Tuple.of(stagingKey, sha256)).invoke(renamed -> {
                            // every chunk must be there, or the transaction (and the file's row) is rolled back
                            long expected = (size + chunkBytes - 1) / chunkBytes;
                            if (renamed.rowCount() != expected) {
                                throw new IllegalStateException("staging " + stagingKey + " holds " + renamed.rowCount()
                                        + " of " + expected + " chunks");
                            }
                        })
                        : tx.preparedQuery(chunksDelete).execute(Tuple.of(stagingKey))))
                .replaceWithVoid();
    }

    /** Records a file another store (S3) holds; true when this call recorded it, false when it was known. */
    Uni<Boolean> recordFile(String sha256, long size, String store) {
        return pool.preparedQuery(fileCommit).execute(Tuple.of(sha256, size, store, null))
                .map(rows -> rows.iterator().next().getBoolean("inserted"));
    }

    Uni<Void> dropChunks(String key) {
        return pool.preparedQuery(chunksDelete).execute(Tuple.of(key)).replaceWithVoid();
    }

    /** Drops the staging chunks of the message's earlier attempts, keeping {@code currentKey}'s. */
    Uni<Void> dropEarlierStaging(String messageId, String currentKey) {
        return pool.preparedQuery(chunksDeleteStaging).execute(Tuple.of(messageId, currentKey)).replaceWithVoid();
    }

    /** One chunk's bytes, or null when it is missing. */
    Uni<io.vertx.core.buffer.Buffer> chunk(String sha256, int seq) {
        return pool.preparedQuery(chunkRead).execute(Tuple.of(sha256, seq)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? it.next().getBuffer("data").getDelegate() : null;
        });
    }

    /** A file the sweep deleted: its hash and store. */
    record Deleted(String sha256, String store) {
    }

    /** Deletes up to {@code limit} unreferenced files older than {@code graceSeconds}. */
    Uni<List<Deleted>> sweepOrphans(int limit, long graceSeconds) {
        return pool.preparedQuery(orphans).execute(Tuple.of(limit, graceSeconds)).map(rows -> {
            List<Deleted> deleted = new ArrayList<>();
            for (Row row : rows) {
                deleted.add(new Deleted(row.getString("sha256"), row.getString("store")));
            }
            return deleted;
        });
    }

    /** Deletes up to {@code limit} staging chunks of downloads that no longer hold their lease. */
    Uni<Integer> sweepStaging(int limit) {
        return pool.preparedQuery(stagingOrphans).execute(Tuple.of(limit)).map(rows -> rows.rowCount());
    }
}
