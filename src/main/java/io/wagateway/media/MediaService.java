package io.wagateway.media;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.wagateway.common.ConflictException;
import io.wagateway.common.GoneException;
import io.wagateway.common.NotFoundException;
import io.wagateway.media.dto.MediaInfo;

/** What the API shows of media and how it serves the bytes: the file of a message, whole or a byte range. */
@ApplicationScoped
public class MediaService {

    /** Message types that carry a file. */
    public static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "document", "sticker");

    private final MediaJobs jobs;
    private final MediaStores stores;

    public MediaService(MediaJobs jobs, MediaStores stores) {
        this.jobs = jobs;
        this.stores = stores;
    }

    /** A message as far as its media is concerned: its id, type and (outbound) the Meta media id it sent. */
    public record MediaRef(UUID messageId, String messageType, String mediaId) {
    }

    /** The media of each given message that has some, keyed by message id; one query for all. */
    public Uni<Map<UUID, MediaInfo>> infos(List<MediaRef> refs) {
        List<UUID> ids = new ArrayList<>();
        List<String> mediaIds = new ArrayList<>();
        for (MediaRef ref : refs) {
            if (ref.messageId() != null && MEDIA_TYPES.contains(ref.messageType())) {
                ids.add(ref.messageId());
                mediaIds.add(ref.mediaId());
            }
        }
        return jobs.find(ids, mediaIds).map(found -> {
            Map<UUID, MediaInfo> infos = new HashMap<>();
            found.forEach((id, f) -> infos.put(id, f.info()));
            return infos;
        });
    }

    /** A file to serve: the status (200, 206, 416), its headers, and the bytes (empty for 416). */
    public record Download(int status, Map<String, List<String>> headers, Multi<Buffer> body) {
    }

    /**
     * The file of a message for GET /api/v1/messages/{id}/media: 404 when it has none, 409 while it is pending, 410
     * when its download failed for good; a {@code Range} header (one range) answers 206, or 416 when unsatisfiable.
     */
    public Uni<Download> download(MediaRef ref, String range) {
        if (!MEDIA_TYPES.contains(ref.messageType())) {
            return Uni.createFrom().failure(new NotFoundException("Media", "message id", ref.messageId()));
        }
        return jobs.find(List.of(ref.messageId()), java.util.Collections.singletonList(ref.mediaId())).map(found -> {
            MediaJobs.Found f = found.get(ref.messageId());
            if (f == null) {
                throw new NotFoundException("Media", "message id", ref.messageId());
            }
            MediaInfo info = f.info();
            if ("pending".equals(info.status())) {
                throw new ConflictException("Media pending", "The file of message " + ref.messageId()
                        + " is still being downloaded from Meta" + (info.error() == null ? ""
                                : " (last attempt: " + info.error() + ")")
                        + "; try again later.");
            }
            if ("failed".equals(info.status()) || f.file() == null) {
                throw new GoneException("Media failed", "The file of message " + ref.messageId()
                        + " could not be kept: " + (info.error() == null ? "it is not stored" : info.error()) + ".");
            }
            return serve(ref, info, f.file(), range);
        });
    }

    private Download serve(MediaRef ref, MediaInfo info, MediaStore.StoredFile file, String range) {
        long size = file.size();
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Content-Type", List.of(info.mimeType() == null || info.mimeType().isBlank()
                ? "application/octet-stream"
                : info.mimeType()));
        headers.put("ETag", List.of("\"" + file.sha256() + "\""));
        headers.put("Accept-Ranges", List.of("bytes"));
        headers.put("Cache-Control", List.of("private, max-age=86400, immutable"));
        if ("document".equals(ref.messageType()) || info.filename() != null) {
            headers.put("Content-Disposition", List.of(contentDisposition(info.filename())));
        }
        long[] span = range == null ? null : ByteRange.parse(range, size);
        if (span == ByteRange.UNSATISFIABLE) {
            headers.put("Content-Range", List.of("bytes */" + size));
            headers.put("Content-Length", List.of("0"));
            return new Download(416, headers, Multi.createFrom().empty());
        }
        long from = span == null ? 0 : span[0];
        long to = span == null ? size - 1 : span[1];
        headers.put("Content-Length", List.of(String.valueOf(size == 0 ? 0 : to - from + 1)));
        if (span != null) {
            headers.put("Content-Range", List.of("bytes " + from + "-" + to + "/" + size));
        }
        Multi<Buffer> body = size == 0 ? Multi.createFrom().empty() : stores.read(file, from, to);
        return new Download(span == null ? 200 : 206, headers, body);
    }

    /** attachment with the filename: ASCII fallback and RFC 5987 UTF-8 form. */
    static String contentDisposition(String filename) {
        if (filename == null || filename.isBlank()) {
            return "attachment";
        }
        String ascii = filename.replaceAll("[^\\x20-\\x7e]", "_").replace("\\", "_").replace("\"", "_");
        StringBuilder encoded = new StringBuilder();
        for (byte b : filename.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
