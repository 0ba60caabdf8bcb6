package io.wagateway.media;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import io.wagateway.audit.AuditLog;
import io.wagateway.common.Problem;
import io.wagateway.common.RequestIdFilter;
import io.wagateway.graph.GraphConfig;
import io.wagateway.media.dto.UploadResponse;
import io.wagateway.security.AdminKeyVerifier;
import io.wagateway.settings.SettingsCredentials;
import io.wagateway.settings.SettingsService;

/**
 * {@code POST /api/v1/media}: the file as the raw body (its Content-Type, a Content-Length, {@code ?phoneNumberId=} and
 * optionally {@code ?filename=}). A Vert.x route ordered before Quarkus' body limit, so that files larger than the
 * webhook's limit fit, and so that nothing is read before the admin key is checked: the request stays paused until
 * then, and a Content-Length over gateway.media.upload-max-bytes (or the type's limit) is refused unread. The body is
 * streamed into the store (hashed on the way, one chunk in memory), then streamed from the store to Meta
 * ({@code POST /{version}/{phone-number-id}/media}, multipart with the size known in advance); Meta's media id is
 * recorded with the file's hash, so that an outbound message sending that id shows this file.
 */
@ApplicationScoped
public class MediaUploadRoute {

    private static final Logger LOG = Logger.getLogger(MediaUploadRoute.class);
    static final String PATH = "/api/v1/media";
    /** Before Quarkus' upload-limit route (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT, -2). */
    static final int ORDER = -3;

    private final AdminKeyVerifier keys;
    private final SettingsService settings;
    private final MediaStores stores;
    private final MediaJobs jobs;
    private final MediaConfig config;
    private final GraphConfig graph;
    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final AuditLog audit;
    private volatile HttpClient client;

    public MediaUploadRoute(AdminKeyVerifier keys, SettingsService settings, MediaStores stores, MediaJobs jobs,
            MediaConfig config, GraphConfig graph, Vertx vertx, ObjectMapper mapper, AuditLog audit) {
        this.audit = audit;
        this.keys = keys;
        this.settings = settings;
        this.stores = stores;
        this.jobs = jobs;
        this.config = config;
        this.graph = graph;
        this.vertx = vertx;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.post(PATH).order(ORDER).handler(this::upload);
    }

    private HttpClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.getDelegate().createHttpClient(new HttpClientOptions().setKeepAlive(true)
                            .setConnectTimeout(10_000));
                }
            }
        }
        return client;
    }

    /** The media type Meta files an upload under, from its MIME type. */
    static String kind(String mimeType) {
        String m = mimeType.toLowerCase(Locale.ROOT);
        if (m.equals("image/webp")) {
            return "sticker";
        }
        if (m.startsWith("image/")) {
            return "image";
        }
        if (m.startsWith("video/")) {
            return "video";
        }
        if (m.startsWith("audio/")) {
            return "audio";
        }
        return "document";
    }

    void upload(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            // multipart: the REST layer (MediaResource), under Quarkus' body limit, with the file buffered on disk
            ctx.next();
            return;
        }
        request.pause();
        String authorization = request.getHeader("Authorization");
        int key = authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? -1
                : keys.match(authorization.substring(7).strip());
        if (key < 0) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            answer(ctx, Problem.of(401, "Unauthorized", "A valid admin API key is required (Authorization: Bearer)."),
                    true);
            return;
        }
        String header = request.getHeader("Content-Length");
        long length = header != null && header.matches("\\d{1,18}") ? Long.parseLong(header) : -1;
        if (length < 0) {
            audited(ctx, key, 411, null, () -> answer(ctx, Problem.of(411, "Length required",
                    "Send the file with a Content-Length."), true));
            return;
        }
        String mimeType = request.getHeader("Content-Type");
        Problem refused = refusal(mimeType, length);
        if (refused != null) {
            audited(ctx, key, refused.status(), null, () -> answer(ctx, refused, true));
            return;
        }
        accept(request, length, mimeType.strip(), request.getParam("filename"), request.getParam("phoneNumberId"))
                .subscribe().with(done -> audited(ctx, key, 201, done.id(), () -> {
                    try {
                        ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                                .end(Buffer.buffer(mapper.writeValueAsBytes(done)));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        ctx.fail(e);
                    }
                }), failure -> {
                    if (failure instanceof Refused r) {
                        audited(ctx, key, r.problem.status(), null, () -> answer(ctx, r.problem, !request.isEnded()));
                    } else {
                        LOG.warnf(failure, "Media upload failed: %s", failure.getClass().getName());
                        audited(ctx, key, 502, null, () -> answer(ctx, Problem.of(502, "Upload failed",
                                "The file could not be stored or uploaded to Meta ("
                                        + failure.getClass().getSimpleName() + "); nothing was kept."),
                                !request.isEnded()));
                    }
                });
    }

    /**
     * Records the upload in the audit log as the REST layer's filter records an {@code @Audited} write (this route
     * runs ahead of it): the admin key's name and fingerprint (never the key), action media.upload, Meta's media id,
     * the status and the names of the query fields given (never their values); then answers. An audit record that
     * cannot be stored is logged and the answer still goes out.
     */
    private void audited(RoutingContext ctx, int key, int status, String mediaId, Runnable answer) {
        io.vertx.core.json.JsonArray fields = new io.vertx.core.json.JsonArray();
        ctx.request().params().names().stream().sorted().forEach(fields::add);
        AuditLog.Entry entry = new AuditLog.Entry("admin-key-" + (key + 1), keys.fingerprint(key), "media.upload",
                "media", mediaId, "POST", PATH, status, ctx.response().headers().get(RequestIdFilter.HEADER),
                fields.isEmpty() ? null : new JsonObject().put("fields", fields));
        audit.record(entry).subscribe().with(ignored -> answer.run(), failure -> {
            LOG.warnf("Audit record of media.upload (status %d) not stored: %s", status,
                    failure.getClass().getSimpleName());
            answer.run();
        });
    }

    /** Why a file of this type and size is refused before reading it (415, 413, 400), or null. */
    Problem refusal(String mimeType, long length) {
        if (mimeType == null || mimeType.isBlank() || mimeType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return Problem.of(415, "Unsupported media type", "Send the file as the body with its MIME type as "
                    + "Content-Type, or as the part \"file\" of a multipart/form-data body.");
        }
        String kind = kind(mimeType.strip());
        long limit = Math.min(config.uploadMaxBytes(), config.maxBytes(kind));
        if (length > limit) {
            return Problem.of(413, "File too large", "A " + kind + " may have at most " + limit + " bytes; this one "
                    + "has " + length + ".");
        }
        return length == 0 ? Problem.of(400, "Empty file", "The file is empty.") : null;
    }

    /**
     * Stores a file read from {@code body} (paused; {@code length} bytes), uploads it to Meta through the business
     * number and records Meta's media id. Fails with {@link Refused} for answers the client can act on.
     */
    Uni<UploadResponse> accept(io.vertx.core.streams.ReadStream<Buffer> body, long length, String type,
            String filename, String phoneNumberId) {
        return credentials(phoneNumberId).chain(credentials -> {
            if (credentials == null) {
                return Uni.createFrom().failure(new Refused(Problem.of(422, "Unknown business number",
                        "No active settings row for phoneNumberId " + phoneNumberId + ".")));
            }
            return receive(body, length).chain(stored -> toMeta(credentials, stored, type, filename)
                    .chain(mediaId -> jobs.recordUpload(mediaId, credentials.phoneNumberId(), stored.sha256(), type,
                            filename, stored.size())
                            .replaceWith(new UploadResponse(mediaId, stored.sha256(), type, stored.size(), filename,
                                    credentials.phoneNumberId()))));
        });
    }

    /** A refusal with its problem answer. */
    public static final class Refused extends RuntimeException {
        final Problem problem;

        public Problem problem() {
            return problem;
        }

        Refused(Problem problem) {
            super(problem.title(), null, false, false);
            this.problem = problem;
        }
    }

    /**
     * The business number's credentials, looked up on a fresh duplicated context marked safe (the settings read opens
     * a Hibernate Reactive session, which needs one), continuing on the caller's context, where the request's
     * handlers live.
     */
    private Uni<SettingsCredentials> credentials(String phoneNumberId) {
        Context caller = io.vertx.core.Vertx.currentContext();
        Context lookup = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(lookup, true);
        Uni<SettingsCredentials> found = Uni.createFrom().emitter(emitter -> lookup.runOnContext(ignored -> {
            Uni<SettingsCredentials> read = phoneNumberId != null && !phoneNumberId.isBlank()
                    ? settings.activeCredentials(phoneNumberId)
                    : settings.activeCredentials().map(active -> {
                        if (active.size() == 1) {
                            return active.get(0);
                        }
                        throw new Refused(Problem.of(400, "Business number required", active.size()
                                + " business numbers are active; choose one with phoneNumberId."));
                    });
            read.subscribe().with(emitter::complete, emitter::fail);
        }));
        return caller == null ? found : found.emitOn(command -> caller.runOnContext(ignored -> command.run()));
    }

    /** The body streamed into the store under a staging name; the stored file. */
    private Uni<MediaDownloader.Result> receive(io.vertx.core.streams.ReadStream<Buffer> request, long length) {
        request.pause();
        MediaStore.Sink sink = stores.current().open(
                "up:" + java.time.Instant.now().getEpochSecond() + ":" + UUID.randomUUID(), length);
        return Uni.createFrom().emitter(emitter -> {
            Context context = io.vertx.core.Vertx.currentContext();
            MessageDigest digest = Sha256.digest();
            long[] count = { 0 };
            boolean[] over = { false };
            request.exceptionHandler(e -> {
                if (!over[0]) {
                    over[0] = true;
                    sink.abort().subscribe().with(v -> emitter.fail(e));
                }
            });
            request.handler(data -> {
                if (over[0]) {
                    return;
                }
                count[0] += data.length();
                if (count[0] > length) {
                    over[0] = true;
                    sink.abort().subscribe().with(v -> emitter.fail(new Refused(Problem.of(400, "Body too long",
                            "The body is longer than its Content-Length."))));
                    return;
                }
                digest.update(data.getByteBuf().nioBuffer());
                Uni<Void> written = sink.write(data);
                if (written != null) {
                    request.pause();
                    written.subscribe().with(v -> context.runOnContext(x -> request.resume()), f -> {
                        over[0] = true;
                        sink.abort().subscribe().with(v -> emitter.fail(f));
                    });
                }
            });
            request.endHandler(v -> {
                if (over[0]) {
                    return;
                }
                over[0] = true;
                String hex = Sha256.hex(digest.digest());
                sink.commit(hex, count[0]).subscribe().with(x -> emitter.complete(new MediaDownloader.Result(hex,
                        count[0])), f -> sink.abort().subscribe().with(y -> emitter.fail(f)));
            });
            request.resume();
        });
    }

    /** Streams the stored file to Meta's media endpoint; Meta's media id. */
    private Uni<String> toMeta(SettingsCredentials credentials, MediaDownloader.Result stored, String mimeType,
            String filename) {
        String boundary = "wagateway-" + UUID.randomUUID();
        String name = filename == null || filename.isBlank() ? "file" : filename.replaceAll("[\"\\r\\n\\\\]", "_");
        String type = mimeType.replaceAll("[\\r\\n]", "");
        byte[] preamble = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\n"
                + "whatsapp\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n" + type
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] epilogue = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        String uri = graph.baseUrl().replaceAll("/+$", "") + "/" + graph.apiVersion() + "/"
                + credentials.phoneNumberId() + "/media";
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri)
                .putHeader("Authorization", "Bearer " + credentials.accessToken())
                .putHeader("Content-Type", "multipart/form-data; boundary=" + boundary)
                .putHeader("Content-Length", String.valueOf(preamble.length + stored.size() + epilogue.length))
                .setIdleTimeout(config.idleTimeout().toMillis());
        MediaStore.StoredFile file = new MediaStore.StoredFile(stored.sha256(), stored.size(), stores.current().name(),
                config.chunkBytes());
        return Uni.createFrom().completionStage(() -> client().request(options).toCompletionStage())
                .chain(req -> {
                    req.write(Buffer.buffer(preamble));
                    return stores.read(file, 0, stored.size() - 1)
                            .onItem().transformToUniAndConcatenate(chunk -> write(req, chunk))
                            .collect().last()
                            .chain(() -> Uni.createFrom().completionStage(() -> req.end(Buffer.buffer(epilogue))
                                    .compose(v -> req.response()).compose(resp -> resp.body().map(body -> {
                                        if (resp.statusCode() / 100 != 2) {
                                            throw new Refused(Problem.of(502, "Meta refused the upload",
                                                    "The Graph API answered HTTP " + resp.statusCode()
                                                            + " to the upload; nothing was sent."));
                                        }
                                        String id = new JsonObject(body).getString("id");
                                        if (id == null || id.isBlank()) {
                                            throw new Refused(Problem.of(502, "Meta answered no media id",
                                                    "The Graph API accepted the upload without a media id."));
                                        }
                                        return id;
                                    })).toCompletionStage()));
                });
    }

    private static Uni<Void> write(HttpClientRequest req, Buffer chunk) {
        Promise<Void> ready = Promise.promise();
        req.write(chunk);
        if (req.writeQueueFull()) {
            req.drainHandler(v -> ready.tryComplete());
        } else {
            ready.complete();
        }
        return Uni.createFrom().completionStage(ready.future().toCompletionStage());
    }

    private void answer(RoutingContext ctx, Problem problem, boolean close) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(problem);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = ("{\"status\":" + problem.status() + "}").getBytes(StandardCharsets.US_ASCII);
        }
        if (close) {
            // the unread body is not drained: the connection is closed after the answer
            ctx.response().putHeader("Connection", "close");
        }
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Buffer.buffer(body)).onComplete(v -> {
                    if (close) {
                        ctx.request().connection().close();
                    }
                });
    }

}
