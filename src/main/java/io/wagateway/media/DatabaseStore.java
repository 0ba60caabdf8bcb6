package io.wagateway.media;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * The default store: PostgreSQL, files cut into chunks of {@code gateway.media.chunk-bytes} (bytea rows, written as
 * the download arrives, so at most one chunk per download is held in memory). A download writes under its staging
 * key; the commit renames the chunks to the hash, or drops them when that file is stored already.
 */
@ApplicationScoped
public class DatabaseStore implements MediaStore {

    static final String NAME = "database";

    private final MediaFiles files;
    private final MediaConfig config;

    public DatabaseStore(MediaFiles files, MediaConfig config) {
        this.files = files;
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Sink open(String stagingKey, long length) {
        int chunkBytes = config.chunkBytes();
        return new Sink() {
            private Buffer pending = Buffer.buffer(Math.min(chunkBytes, 64 * 1024));
            private int seq;

            @Override
            public Uni<Void> write(Buffer data) {
                pending.appendBuffer(data);
                if (pending.length() < chunkBytes) {
                    return null;
                }
                Buffer full = pending.getBuffer(0, chunkBytes);
                Buffer rest = pending.getBuffer(chunkBytes, pending.length());
                pending = Buffer.buffer(chunkBytes).appendBuffer(rest);
                return files.writeChunk(stagingKey, seq++, full);
            }

            @Override
            public Uni<Void> commit(String sha256, long size) {
                Uni<Void> last = pending.length() == 0 ? Uni.createFrom().voidItem()
                        : files.writeChunk(stagingKey, seq++, pending);
                pending = Buffer.buffer();
                return last.chain(() -> files.commitChunks(stagingKey, sha256, size, chunkBytes));
            }

            @Override
            public Uni<Void> abort() {
                pending = Buffer.buffer();
                return files.dropChunks(stagingKey).onFailure().recoverWithNull().replaceWithVoid();
            }
        };
    }

    @Override
    public Multi<Buffer> read(StoredFile file, long from, long to) {
        int chunkBytes = file.chunkBytes() == null ? config.chunkBytes() : file.chunkBytes();
        int first = (int) (from / chunkBytes);
        int last = (int) (to / chunkBytes);
        return Multi.createFrom().range(first, last + 1)
                .onItem().transformToUniAndConcatenate(seq -> files.chunk(file.sha256(), seq).map(data -> {
                    if (data == null) {
                        throw new IllegalStateException("chunk " + seq + " of " + file.sha256() + " is missing");
                    }
                    long start = (long) seq * chunkBytes;
                    int sliceFrom = (int) Math.max(0, from - start);
                    int sliceTo = (int) Math.min(data.length(), to - start + 1);
                    return sliceFrom == 0 && sliceTo == data.length() ? data : data.getBuffer(sliceFrom, sliceTo);
                }));
    }

    @Override
    public Uni<Void> delete(String sha256) {
        // The sweep deleted the chunks with the row.
        return Uni.createFrom().voidItem();
    }
}
