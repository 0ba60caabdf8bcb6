package io.wagateway.media;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.wagateway.common.PeriodicJob;
import io.wagateway.events.EventSignal;
import io.wagateway.graph.GraphConfig;
import io.wagateway.settings.SettingsCredentials;
import io.wagateway.settings.SettingsService;

/**
 * Downloads the media of inbound messages before Meta forgets it: claims due jobs (gateway_media, shared by the
 * replicas, leased), asks the Graph API for the file's URL ({@code GET /{version}/{media-id}?phone_number_id=}),
 * then streams the file into the store with backpressure (the response is paused while a chunk is written, so a
 * download holds about one chunk in memory), hashing as it goes. The hash is checked against Meta's; the size
 * against the type's limit. Failures are retried with exponential backoff until gateway.media.max-retry-duration
 * after the message arrived; a missing media id, a file over the limit, or a hash that keeps being wrong fail it for
 * good. Woken after each inbound commit on this replica and by a timer (the other replicas' jobs, retries).
 */
@ApplicationScoped
public class MediaDownloader {

    private static final Logger LOG = Logger.getLogger(MediaDownloader.class);

    /** Attempts after which a wrong hash or a 404 of the file's URL is taken as final. */
    static final int FINAL_AFTER_ATTEMPTS = 3;

    private final MediaJobs jobs;
    private final MediaStores stores;
    private final MediaConfig config;
    private final GraphConfig graph;
    private final SettingsService settings;
    private final Vertx vertx;
    private final EventSignal signal;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile HttpClient client;
    private volatile PeriodicJob poll;
    private volatile PeriodicJob sweep;
    private volatile boolean stopped;

    public MediaDownloader(MediaJobs jobs, MediaStores stores, MediaConfig config, GraphConfig graph,
            SettingsService settings, Vertx vertx, EventSignal signal) {
        this.jobs = jobs;
        this.stores = stores;
        this.config = config;
        this.graph = graph;
        this.settings = settings;
        this.vertx = vertx;
        this.signal = signal;
    }

    void onStart(@Observes StartupEvent event) {
        client = vertx.getDelegate().createHttpClient(new HttpClientOptions().setMaxPoolSize(
                Math.max(2, config.concurrency() * 2)).setConnectTimeout(10_000).setKeepAlive(true));
        if (config.downloadsEnabled()) {
            poll = PeriodicJob.start(vertx, 1000, config.pollInterval().toMillis(), this::drain, n -> {
            }, f -> LOG.warnf("Media download poll failed: %s", f.toString()));
            signal.alsoNotify(this::wake);
        }
        sweep = PeriodicJob.start(vertx, config.orphanSweepInterval().toMillis(), config.orphanSweepInterval().toMillis(),
                stores::sweep, n -> {
                }, f -> LOG.warnf("Media orphan sweep failed: %s", f.toString()));
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (poll != null) {
            poll.stop();
        }
        if (sweep != null) {
            sweep.stop();
        }
    }

    /** A commit may have recorded jobs: drain soon (coalesced, so a burst of commits costs one claim). */
    void wake() {
        if (!stopped && config.downloadsEnabled() && wakePending.compareAndSet(false, true)) {
            vertx.setTimer(20, id -> {
                wakePending.set(false);
                drain().subscribe().with(n -> {
                }, f -> LOG.warnf("Media download failed to claim: %s", f.toString()));
            });
        }
    }

    /** Claims as many due jobs as there are free download slots and starts them; the number claimed. */
    Uni<Integer> drain() {
        int free = config.concurrency() - running.get();
        if (stopped || free <= 0 || !draining.compareAndSet(false, true)) {
            return Uni.createFrom().item(0);
        }
        return jobs.claim(config.lease(), free).onTermination().invoke(() -> draining.set(false)).map(claimed -> {
            for (MediaJobs.Job job : claimed) {
                running.incrementAndGet();
                // Each job on its own duplicated context, as a request has (the settings lookup opens a
                // Hibernate Reactive session, which needs one).
                Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
                VertxContextSafetyToggle.setContextSafe(context, true);
                context.runOnContext(ignored -> run(job).onTermination().invoke(() -> {
                    running.decrementAndGet();
                    wake();
                }).subscribe().with(v -> {
                }, f -> LOG.warnf("Media job of message %s ended badly: %s", job.messageId(), f.toString())));
            }
            return claimed.size();
        });
    }

    /** What Meta's media endpoint answered. */
    record Meta(String url, String mimeType, String sha256, Long fileSize) {
    }

    /** A stored download. */
    record Result(String sha256, long size) {
    }

    Uni<Void> run(MediaJobs.Job job) {
        MediaStore store = stores.current();
        return stores.files().dropEarlierStaging(job.messageId().toString(), job.stagingKey())
                .chain(() -> settings.activeCredentials(job.phoneNumberId()))
                .chain(credentials -> {
                    if (credentials == null || credentials.accessToken() == null) {
                        return Uni.createFrom().failure(DownloadFailure.retryable(
                                "no active business number " + job.phoneNumberId()));
                    }
                    return metadata(job, credentials).chain(meta -> download(job, meta, credentials, store)
                            .chain(result -> jobs.stored(job, result.sha256(), result.size(),
                                    meta.mimeType() == null ? job.mimeType() : meta.mimeType())))
                            .invoke(ended -> LOG.infof("Stored the %s of message %s", job.mediaType(),
                                    job.messageId()));
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(f -> failed(job, f));
    }

    private Uni<Void> failed(MediaJobs.Job job, Throwable f) {
        if (f instanceof LeaseLost) {
            LOG.infof("Media download of message %s lost its lease (taken over or deleted)", job.messageId());
            return Uni.createFrom().voidItem();
        }
        if (!(f instanceof DownloadFailure)) {
            LOG.warnf(f, "Media download of message %s failed unexpectedly", job.messageId());
        }
        String reason = f instanceof DownloadFailure d ? d.getMessage() : "unexpected failure " + f.getClass().getName();
        boolean permanent = f instanceof DownloadFailure d && d.permanent();
        Instant next = Instant.now().plus(backoff(job.attempts()));
        Instant giveUp = job.createdAt().plus(config.maxRetryDuration());
        if (!permanent && next.isAfter(giveUp)) {
            permanent = true;
            reason = "gave up after " + job.attempts() + " attempts: " + reason;
        }
        if (permanent) {
            LOG.warnf("Media download of message %s failed for good: %s", job.messageId(), reason);
            return jobs.failed(job, reason).replaceWithVoid();
        }
        LOG.infof("Media download of message %s failed (attempt %d), retrying at %s: %s", job.messageId(),
                job.attempts(), next, reason);
        return jobs.retryAt(job, next, reason);
    }

    /** The delay before the next attempt: exponential from retry-first-delay, capped, with up to 20 % jitter. */
    Duration backoff(int attempts) {
        long first = config.retryFirstDelay().toMillis();
        long max = config.retryMaxDelay().toMillis();
        long delay = first;
        for (int i = 1; i < attempts && delay < max; i++) {
            delay *= 2;
        }
        delay = Math.min(delay, max);
        return Duration.ofMillis(delay + ThreadLocalRandom.current().nextLong(Math.max(1, delay / 5)));
    }

    private Uni<Meta> metadata(MediaJobs.Job job, SettingsCredentials credentials) {
        String uri = graph.baseUrl().replaceAll("/+$", "") + "/" + graph.apiVersion() + "/"
                + java.net.URLEncoder.encode(job.mediaId(), java.nio.charset.StandardCharsets.UTF_8)
                + "?phone_number_id="
                + java.net.URLEncoder.encode(job.phoneNumberId(), java.nio.charset.StandardCharsets.UTF_8);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri)
                .putHeader("Authorization", "Bearer " + credentials.accessToken())
                .setIdleTimeout(config.idleTimeout().toMillis());
        return Uni.createFrom().completionStage(() -> client.request(options).compose(req -> req.send())
                .compose(resp -> resp.body().map(body -> {
                    int status = resp.statusCode();
                    if (status == 200) {
                        JsonObject json;
                        try {
                            json = body.toJsonObject();
                        } catch (RuntimeException e) {
                            throw DownloadFailure.retryable("the media endpoint answered no JSON object");
                        }
                        String url = json.getString("url");
                        if (url == null || url.isBlank()) {
                            throw DownloadFailure.retryable("the media endpoint answered no url");
                        }
                        Object size = json.getValue("file_size");
                        Long fileSize = size instanceof Number n ? n.longValue()
                                : size instanceof String s && s.matches("\\d{1,18}") ? Long.parseLong(s) : null;
                        return new Meta(url, json.getString("mime_type"), json.getString("sha256"), fileSize);
                    }
                    throw metadataFailure(status);
                })).toCompletionStage())
                .onFailure(f -> !(f instanceof DownloadFailure))
                .transform(f -> DownloadFailure.retryable("the media endpoint failed: " + f.getClass().getSimpleName()));
    }

    private static DownloadFailure metadataFailure(int status) {
        return switch (status) {
            case 400, 404, 410 -> DownloadFailure.permanent("Meta does not know the media id (HTTP " + status
                    + " from the media endpoint; ids expire after 7 days)");
            default -> DownloadFailure.retryable("HTTP " + status + " from the media endpoint");
        };
    }

    /** The lease was lost mid-download: another replica has the job, or the message is gone. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lease lost", null, false, false);
        }
    }

    private Uni<Result> download(MediaJobs.Job job, Meta meta, SettingsCredentials credentials, MediaStore store) {
        long limit = config.maxBytes(job.mediaType());
        if (meta.fileSize() != null && meta.fileSize() > limit) {
            return Uni.createFrom().failure(tooLarge(job, meta.fileSize(), limit));
        }
        String expected = Sha256.normalize(meta.sha256() != null ? meta.sha256() : job.expectedSha256());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(meta.url())
                .putHeader("Authorization", "Bearer " + credentials.accessToken())
                .setIdleTimeout(config.idleTimeout().toMillis()).setFollowRedirects(true);
        return Uni.createFrom().<Result> emitter(emitter -> {
            AtomicBoolean over = new AtomicBoolean();
            long renewEvery = Math.max(1000, config.lease().toMillis() / 3);
            long[] renewTimer = { -1 };
            client.request(options).compose(req -> req.send()).onComplete(ar -> {
                if (ar.failed()) {
                    emitter.fail(DownloadFailure.retryable("the media URL failed: "
                            + ar.cause().getClass().getSimpleName()));
                    return;
                }
                HttpClientResponse resp = ar.result();
                int status = resp.statusCode();
                if (status != 200) {
                    resp.end();
                    boolean gone = status == 404 || status == 410;
                    emitter.fail(gone && job.attempts() >= FINAL_AFTER_ATTEMPTS
                            ? DownloadFailure.permanent("HTTP " + status + " from the media URL")
                            : DownloadFailure.retryable("HTTP " + status + " from the media URL"));
                    return;
                }
                String header = resp.getHeader("Content-Length");
                long announced = header != null && header.matches("\\d{1,18}") ? Long.parseLong(header)
                        : meta.fileSize() == null ? -1 : meta.fileSize();
                if (announced > limit) {
                    resp.request().reset();
                    emitter.fail(tooLarge(job, announced, limit));
                    return;
                }
                Context context = io.vertx.core.Vertx.currentContext();
                MediaStore.Sink sink = store.open(job.stagingKey(), announced);
                MessageDigest digest = Sha256.digest();
                long[] count = { 0 };
                renewTimer[0] = vertx.getDelegate().setPeriodic(renewEvery, id -> jobs.renew(job, config.lease())
                        .subscribe().with(kept -> {
                            if (!kept && over.compareAndSet(false, true)) {
                                resp.request().reset();
                                sink.abort().subscribe().with(v -> emitter.fail(new LeaseLost()));
                            }
                        }, f -> LOG.debugf("Lease renewal failed: %s", f)));
                emitter.onTermination(() -> vertx.getDelegate().cancelTimer(renewTimer[0]));
                resp.exceptionHandler(e -> {
                    if (over.compareAndSet(false, true)) {
                        sink.abort().subscribe().with(v -> emitter.fail(DownloadFailure.retryable(
                                "the download broke off after " + count[0] + " bytes: " + e.getClass().getSimpleName())));
                    }
                });
                resp.handler(data -> {
                    if (over.get()) {
                        return;
                    }
                    count[0] += data.length();
                    if (count[0] > limit) {
                        over.set(true);
                        resp.request().reset();
                        sink.abort().subscribe().with(v -> emitter.fail(tooLarge(job, count[0], limit)));
                        return;
                    }
                    digest.update(data.getByteBuf().nioBuffer());
                    Uni<Void> written = sink.write(data);
                    if (written != null) {
                        resp.pause();
                        written.subscribe().with(v -> context.runOnContext(x -> resp.resume()), f -> {
                            if (over.compareAndSet(false, true)) {
                                context.runOnContext(x -> resp.request().reset());
                                sink.abort().subscribe().with(v -> emitter.fail(DownloadFailure.retryable(
                                        "the store failed: " + f.getClass().getSimpleName())));
                            }
                        });
                    }
                });
                resp.endHandler(v -> {
                    if (!over.compareAndSet(false, true)) {
                        return;
                    }
                    String hex = Sha256.hex(digest.digest());
                    if (expected != null && !expected.equals(hex)) {
                        String reason = "the file's SHA-256 is not Meta's (" + count[0] + " bytes received)";
                        sink.abort().subscribe().with(x -> emitter.fail(job.attempts() >= FINAL_AFTER_ATTEMPTS
                                ? DownloadFailure.permanent(reason)
                                : DownloadFailure.retryable(reason)));
                        return;
                    }
                    if (announced >= 0 && announced != count[0]) {
                        sink.abort().subscribe().with(x -> emitter.fail(DownloadFailure.retryable(
                                "received " + count[0] + " of " + announced + " bytes")));
                        return;
                    }
                    sink.commit(hex, count[0]).subscribe().with(x -> emitter.complete(new Result(hex, count[0])),
                            f -> sink.abort().subscribe().with(y -> emitter.fail(DownloadFailure.retryable(
                                    "the store failed to keep the file: " + f.getClass().getSimpleName()))));
                });
            });
        });
    }

    private static DownloadFailure tooLarge(MediaJobs.Job job, long size, long limit) {
        return DownloadFailure.permanent("the " + job.mediaType() + " is larger than the limit of " + limit
                + " bytes (" + size + " bytes)");
    }

    /** Downloads running on this replica now (tests, metrics). */
    int running() {
        return running.get();
    }

}
