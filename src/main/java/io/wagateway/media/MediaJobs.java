package io.wagateway.media;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;
import io.wagateway.events.EventSignal;
import io.wagateway.media.dto.MediaInfo;

/**
 * The one writer of {@code gateway_media} after its insert (the conversation writer's inbound statements record the
 * job with the message) and of {@code gateway_media_uploads}: claims under a lease, renewals, retries, the end of a
 * job with its event (same statement), and the reads of the API.
 */
@ApplicationScoped
public class MediaJobs {

    private final String claim = SqlFiles.load("media/claim.sql");
    private final String renew = SqlFiles.load("media/renew.sql");
    private final String retry = SqlFiles.load("media/retry.sql");
    private final String finish = SqlFiles.load("media/finish.sql");
    private final String find = SqlFiles.load("media/find.sql");
    private final String uploadInsert = SqlFiles.load("media/upload-insert.sql");
    private final Pool pool;
    private final EventSignal events;

    public MediaJobs(Pool pool, EventSignal events) {
        this.pool = pool;
        this.events = events;
    }

    /** A claimed download. {@code stagingKey}: where its chunks are written until the hash is checked. */
    record Job(UUID messageId, String mediaId, String phoneNumberId, String mediaType, String mimeType,
            String filename, String expectedSha256, int attempts, Instant createdAt, UUID leaseToken) {

        String stagingKey() {
            return "tmp:" + messageId + ":" + leaseToken;
        }
    }

    Uni<List<Job>> claim(Duration lease, int limit) {
        return pool.preparedQuery(claim).execute(Tuple.of(lease.toSeconds(), limit)).map(rows -> {
            List<Job> jobs = new ArrayList<>();
            for (Row r : rows) {
                jobs.add(new Job(r.getUUID("message_id"), r.getString("media_id"), r.getString("phone_number_id"),
                        r.getString("media_type"), r.getString("mime_type"), r.getString("filename"),
                        r.getString("expected_sha256"), r.getInteger("attempts"),
                        r.getOffsetDateTime("created_at").toInstant(), r.getUUID("lease_token")));
            }
            return jobs;
        });
    }

    /** Extends the job's lease; false when it was lost. */
    Uni<Boolean> renew(Job job, Duration lease) {
        return pool.preparedQuery(renew).execute(Tuple.of(job.messageId(), job.leaseToken(), lease.toSeconds()))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Gives the job back, to be tried again at {@code at}. */
    Uni<Void> retryAt(Job job, Instant at, String reason) {
        return pool.preparedQuery(retry).execute(Tuple.of(job.messageId(), job.leaseToken(),
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC), reason)).replaceWithVoid();
    }

    /** The file is stored: status stored and whatsapp.media.stored, one statement. False when the lease was lost. */
    Uni<Boolean> stored(Job job, String sha256, long size, String mimeType) {
        return end(Tuple.tuple().addValue(job.messageId()).addValue(job.leaseToken()).addValue("stored")
                .addValue(null).addValue(sha256).addValue(size).addValue(mimeType));
    }

    /** Failed for good: status failed with the reason, and whatsapp.media.failed. */
    Uni<Boolean> failed(Job job, String reason) {
        return end(Tuple.tuple().addValue(job.messageId()).addValue(job.leaseToken()).addValue("failed")
                .addValue(reason).addValue(null).addValue(null).addValue(null));
    }

    private Uni<Boolean> end(Tuple params) {
        return pool.preparedQuery(finish).execute(params).map(rows -> rows.rowCount() > 0)
                .invoke(ended -> {
                    if (ended) {
                        events.committed();
                    }
                });
    }

    /** What a message shows of its media, with where its bytes are. */
    public record Found(MediaInfo info, MediaStore.StoredFile file) {
    }

    /**
     * The media of the given messages, keyed by message id: a message's own (an inbound download) or, for an
     * outbound message, the upload whose Meta media id it sent ({@code mediaIds}, parallel, null entries allowed).
     */
    public Uni<Map<UUID, Found>> find(List<UUID> messageIds, List<String> mediaIds) {
        if (messageIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(find).execute(Tuple.of(messageIds.toArray(UUID[]::new),
                mediaIds.toArray(String[]::new))).map(rows -> {
                    Map<UUID, Found> found = new HashMap<>();
                    for (Row r : rows) {
                        Long size = r.getLong("file_size");
                        MediaInfo info = new MediaInfo(r.getString("mime_type"), size, r.getString("sha256"),
                                r.getString("filename"), r.getString("status"), r.getString("error"));
                        String store = r.getString("store");
                        MediaStore.StoredFile file = store == null || size == null ? null
                                : new MediaStore.StoredFile(r.getString("sha256"), size, store,
                                        r.getInteger("chunk_bytes"));
                        found.put(r.getUUID("message_id"), new Found(info, file));
                    }
                    return found;
                });
    }

    Uni<Void> recordUpload(String mediaId, String phoneNumberId, String sha256, String mimeType, String filename,
            long size) {
        return pool.preparedQuery(uploadInsert).execute(Tuple.tuple().addValue(mediaId).addValue(phoneNumberId)
                .addValue(sha256).addValue(mimeType).addValue(filename).addValue(size)).replaceWithVoid();
    }
}
