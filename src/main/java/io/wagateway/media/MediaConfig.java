package io.wagateway.media;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Media downloads, storage and uploads (docs/configuration.md#media). */
@ConfigMapping(prefix = "gateway.media")
public interface MediaConfig {

    /** Where files are kept: {@code database} (chunked in PostgreSQL) or {@code s3}. Env GATEWAY_MEDIA_STORE. */
    @WithDefault("database")
    String store();

    /** Whether this replica downloads pending media (env GATEWAY_MEDIA_DOWNLOADS_ENABLED). */
    @WithDefault("true")
    boolean downloadsEnabled();

    /** How long a failing download is retried before it is given up (Meta keeps a webhook's media id 7 days). */
    @WithDefault("6d")
    Duration maxRetryDuration();

    /** The first retry's delay; each next one doubles, up to {@link #retryMaxDelay()}. */
    @WithDefault("10s")
    Duration retryFirstDelay();

    /** The longest delay between two attempts. */
    @WithDefault("1h")
    Duration retryMaxDelay();

    /** How often the jobs are polled besides the wake-up after an inbound commit. */
    @WithDefault("5s")
    Duration pollInterval();

    /** How long a claimed job is this replica's; a crashed replica's job is taken over after it. */
    @WithDefault("5m")
    Duration lease();

    /** Downloads running at once on this replica. */
    @WithDefault("4")
    int concurrency();

    /** A download that receives no byte for this long is abandoned (and retried). */
    @WithDefault("60s")
    Duration idleTimeout();

    /**
     * Size of one stored chunk with the database store, in bytes: also about what one download or read holds in
     * memory. Larger chunks mean fewer rows but more heap churn under concurrent downloads (docs/performance.md).
     */
    @WithDefault("262144")
    int chunkBytes();

    /** Largest image, in bytes (Meta: 5 MB). */
    @WithDefault("5242880")
    long maxImageBytes();

    /** Largest video, in bytes (Meta: 16 MB). */
    @WithDefault("16777216")
    long maxVideoBytes();

    /** Largest audio file, in bytes (Meta: 16 MB). */
    @WithDefault("16777216")
    long maxAudioBytes();

    /** Largest document, in bytes (Meta: 100 MB). */
    @WithDefault("104857600")
    long maxDocumentBytes();

    /** Largest sticker, in bytes (Meta: 500 KB animated, 100 KB static; the larger one here). */
    @WithDefault("512000")
    long maxStickerBytes();

    /** Largest body of POST /api/v1/media, in bytes. */
    @WithDefault("104857600")
    long uploadMaxBytes();

    /** How often files no message or upload references any more are deleted. */
    @WithDefault("10m")
    Duration orphanSweepInterval();

    /** The S3 store (gateway.media.store=s3). */
    S3 s3();

    interface S3 {
        /** Endpoint URL, e.g. https://s3.eu-west-1.amazonaws.com or a MinIO/Ceph URL. */
        Optional<String> endpoint();

        Optional<String> bucket();

        @WithDefault("us-east-1")
        String region();

        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Path-style URLs (endpoint/bucket/key) instead of virtual-host style (bucket.endpoint/key). */
        @WithDefault("true")
        boolean pathStyle();
    }

    /** The size limit of a media type (Meta's), or the document's for an unknown one. */
    default long maxBytes(String mediaType) {
        return switch (mediaType == null ? "" : mediaType) {
            case "image" -> maxImageBytes();
            case "video" -> maxVideoBytes();
            case "audio" -> maxAudioBytes();
            case "sticker" -> maxStickerBytes();
            default -> maxDocumentBytes();
        };
    }
}
