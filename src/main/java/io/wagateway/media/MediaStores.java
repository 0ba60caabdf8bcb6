package io.wagateway.media;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The configured store ({@code gateway.media.store}) for new files, and the store each existing file names (a file
 * written before the store was changed stays readable), and the sweep of files nothing references any more.
 */
@ApplicationScoped
public class MediaStores {

    private static final Logger LOG = Logger.getLogger(MediaStores.class);

    /** Files per sweep statement, and the age a file must have before the sweep may take it. */
    static final int SWEEP_BATCH = 200;
    static final long SWEEP_GRACE_SECONDS = 3600;

    private final DatabaseStore database;
    private final S3Store s3;
    private final MediaFiles files;
    private final MediaConfig config;

    public MediaStores(DatabaseStore database, S3Store s3, MediaFiles files, MediaConfig config) {
        this.database = database;
        this.s3 = s3;
        this.files = files;
        this.config = config;
    }

    /** Where new files go. */
    public MediaStore current() {
        return S3Store.NAME.equals(config.store()) ? s3 : database;
    }

    MediaStore of(String name) {
        return S3Store.NAME.equals(name) ? s3 : database;
    }

    MediaFiles files() {
        return files;
    }

    /** Streams bytes {@code from}..{@code to} of a stored file. */
    public Multi<io.vertx.core.buffer.Buffer> read(MediaStore.StoredFile file, long from, long to) {
        return of(file.store()).read(file, from, to);
    }

    /** One sweep: unreferenced files (and their S3 objects), then abandoned staging chunks; the files deleted. */
    Uni<Integer> sweep() {
        return files.sweepOrphans(SWEEP_BATCH, SWEEP_GRACE_SECONDS)
                .call(deleted -> Multi.createFrom().iterable(deleted)
                        .onItem().transformToUniAndConcatenate(d -> of(d.store()).delete(d.sha256())
                                .onFailure().invoke(f -> LOG.warnf("Could not delete media file %s from %s: %s",
                                        d.sha256(), d.store(), f.toString()))
                                .onFailure().recoverWithNull())
                        .collect().last())
                .call(deleted -> files.sweepStaging(SWEEP_BATCH * 16))
                .map(deleted -> deleted.size());
    }
}
