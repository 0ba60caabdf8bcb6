package io.wagateway.media;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Where the bytes of media files live: the database (chunked, {@link DatabaseStore}) or an S3-compatible bucket
 * ({@link S3Store}). Files are named by their hex SHA-256, so one content is stored once however many messages
 * carry it. Writes stream through a {@link Sink}; reads stream a byte range.
 */
public interface MediaStore {

    /** The store's name in {@code gateway_media_files.store}. */
    String name();

    /**
     * A new file under a staging name; {@code length} is the size announced (Meta's file_size or the body's
     * Content-Length), -1 when unknown.
     */
    Sink open(String stagingKey, long length);

    /** Bytes {@code from} to {@code to} (inclusive) of a stored file, in order, requested one at a time. */
    Multi<Buffer> read(StoredFile file, long from, long to);

    /** Deletes a stored file's bytes (the orphan sweep; the database store's chunks go with the row). */
    Uni<Void> delete(String sha256);

    /** A file being written. Calls are sequential: each write's Uni completes before the next write. */
    interface Sink {

        /** Takes the next bytes; null when they were only buffered (no need to wait), else a Uni to wait for. */
        Uni<Void> write(Buffer data);

        /** Every byte was written and hashed to {@code sha256}: the file is kept under that name. */
        Uni<Void> commit(String sha256, long size);

        /** Drops what was written (a failed or refused download); never fails. */
        Uni<Void> abort();
    }

    /** A stored file as a read needs it. */
    record StoredFile(String sha256, long size, String store, Integer chunkBytes) {
    }
}
