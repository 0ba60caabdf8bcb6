package io.wagateway.media;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;

/**
 * Any S3-compatible store ({@code gateway.media.store=s3}): objects named by the file's hex SHA-256. A download is
 * streamed into a staging object ({@code tmp/<message>-<lease>}) with a signed PUT (SigV4, UNSIGNED-PAYLOAD, the size
 * Meta announced as Content-Length) and backpressure (the download pauses while the request's queue is full); once
 * the hash is checked it is copied server-side to its name and the staging object deleted. Reads are ranged GETs.
 * The Vert.x HTTP client, no SDK: non-blocking and native-ready.
 */
@ApplicationScoped
public class S3Store implements MediaStore {

    static final String NAME = "s3";

    private final MediaConfig config;
    private final MediaFiles files;
    private final Vertx vertx;
    private volatile HttpClient client;

    public S3Store(MediaConfig config, MediaFiles files, Vertx vertx) {
        this.config = config;
        this.files = files;
        this.vertx = vertx;
    }

    @Override
    public String name() {
        return NAME;
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.getDelegate().createHttpClient(new HttpClientOptions().setKeepAlive(true)
                            .setMaxPoolSize(Math.max(4, config.concurrency() * 2)).setConnectTimeout(10_000));
                }
                current = client;
            }
        }
        return current;
    }

    private String required(java.util.Optional<String> value, String key) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
                "gateway.media.s3." + key + " must be set for gateway.media.store=s3"));
    }

    /** A signed request for {@code key} (no leading slash). */
    Future<HttpClientRequest> request(HttpMethod method, String key, Map<String, String> extraHeaders,
            String payloadHash) {
        URI endpoint = URI.create(required(config.s3().endpoint(), "endpoint"));
        String bucket = required(config.s3().bucket(), "bucket");
        boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : tls ? 443 : 80;
        String host = config.s3().pathStyle() ? endpoint.getHost() : bucket + "." + endpoint.getHost();
        String hostHeader = port == (tls ? 443 : 80) ? host : host + ":" + port;
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        String path = base + (config.s3().pathStyle() ? "/" + bucket : "") + "/" + key;
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("host", hostHeader);
        headers.put("x-amz-date", SigV4.amzDate(Instant.now()));
        headers.put("x-amz-content-sha256", payloadHash);
        SigV4 signer = new SigV4(required(config.s3().accessKey(), "access-key"),
                required(config.s3().secretKey(), "secret-key"), config.s3().region(), "s3");
        String authorization = signer.authorization(method.name(), path, Map.of(), headers, payloadHash);
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setSsl(tls)
                .setURI(SigV4.encode(path, false)).setIdleTimeout(config.idleTimeout().toMillis());
        headers.forEach(options::putHeader);
        options.putHeader("Authorization", authorization);
        return client().request(options);
    }

    private Future<HttpClientResponse> expect(Future<HttpClientResponse> response, String what, int... ok) {
        return response.compose(resp -> resp.body().compose(body -> {
            for (int status : ok) {
                if (resp.statusCode() == status) {
                    return Future.succeededFuture(resp);
                }
            }
            return Future.failedFuture(new IllegalStateException("S3 " + what + " answered HTTP " + resp.statusCode()));
        }));
    }

    private static String stagingObject(String stagingKey) {
        return "tmp/" + stagingKey.replace(':', '-');
    }

    @Override
    public Sink open(String stagingKey, long length) {
        String object = stagingObject(stagingKey);
        return new Sink() {
            private Future<HttpClientRequest> put;

            private Future<HttpClientRequest> put() {
                if (put == null) {
                    if (length < 0) {
                        put = Future.failedFuture(new IllegalStateException("the S3 store needs the file's size"));
                    } else {
                        put = request(HttpMethod.PUT, object, Map.of("content-length", String.valueOf(length)),
                                SigV4.UNSIGNED_PAYLOAD);
                    }
                }
                return put;
            }

            @Override
            public Uni<Void> write(Buffer data) {
                Future<HttpClientRequest> request = put();
                if (request.succeeded() && !request.result().writeQueueFull()) {
                    request.result().write(data);
                    return null;
                }
                return Uni.createFrom().completionStage(() -> request.compose(req -> {
                    Promise<Void> written = Promise.promise();
                    req.write(data);
                    if (req.writeQueueFull()) {
                        req.drainHandler(v -> written.tryComplete());
                    } else {
                        written.complete();
                    }
                    return written.future();
                }).toCompletionStage());
            }

            @Override
            public Uni<Void> commit(String sha256, long size) {
                return Uni.createFrom().completionStage(() -> put()
                        .compose(req -> expect(req.send(), "PUT", 200))
                        .compose(ok -> request(HttpMethod.PUT, sha256,
                                Map.of("x-amz-copy-source", "/" + config.s3().bucket().orElse("") + "/" + object),
                                SigV4.EMPTY_SHA256).compose(req -> expect(req.send(), "copy", 200)))
                        .compose(ok -> request(HttpMethod.DELETE, object, Map.of(), SigV4.EMPTY_SHA256)
                                .compose(req -> expect(req.send(), "DELETE", 204, 200)))
                        .toCompletionStage())
                        .chain(() -> files.recordFile(sha256, size, NAME)).replaceWithVoid();
            }

            @Override
            public Uni<Void> abort() {
                if (put != null && put.succeeded()) {
                    put.result().reset();
                }
                return Uni.createFrom().completionStage(() -> request(HttpMethod.DELETE, object, Map.of(),
                        SigV4.EMPTY_SHA256).compose(req -> req.send()).compose(resp -> resp.body()).toCompletionStage())
                        .onFailure().recoverWithNull().replaceWithVoid();
            }
        };
    }

    @Override
    public Multi<Buffer> read(StoredFile file, long from, long to) {
        return Uni.createFrom().completionStage(() -> request(HttpMethod.GET, file.sha256(),
                Map.of("range", "bytes=" + from + "-" + to), SigV4.EMPTY_SHA256)
                .compose(req -> req.send()).compose(resp -> {
                    if (resp.statusCode() != 206 && resp.statusCode() != 200) {
                        return resp.body().compose(b -> Future.failedFuture(
                                new IllegalStateException("S3 GET answered HTTP " + resp.statusCode())));
                    }
                    resp.pause();
                    return Future.succeededFuture(resp);
                }).toCompletionStage())
                .onItem().transformToMulti(resp -> new io.vertx.mutiny.core.http.HttpClientResponse(resp)
                        .toMulti().map(io.vertx.mutiny.core.buffer.Buffer::getDelegate));
    }

    @Override
    public Uni<Void> delete(String sha256) {
        return Uni.createFrom().completionStage(() -> request(HttpMethod.DELETE, sha256, Map.of(), SigV4.EMPTY_SHA256)
                .compose(req -> expect(req.send(), "DELETE", 204, 200)).toCompletionStage()).replaceWithVoid();
    }
}
