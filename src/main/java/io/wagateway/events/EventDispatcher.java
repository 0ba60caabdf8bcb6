package io.wagateway.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import io.wagateway.common.LogThrottle;
import io.wagateway.security.SecretCipher;

/**
 * Sends the log's events to the subscriptions. Numbers committed events ({@link Deliveries#sequence()}); sends each
 * subscription's events from its cursor ({@link CursorLane}, on the replica holding the cursor's lease); and claims
 * the due delivery rows (events whose first attempt failed, the events queued behind them, replays), POSTs each as a
 * signed CloudEvent and records the outcome (any 2xx delivered; else a retry with backoff until
 * {@code max-retry-duration}, then failed). Woken by PostgreSQL notifications ({@link EventNotifications}), by this
 * replica's commits ({@link EventSignal}), by its own completions and retry timers, and by a slow safety poll. Every
 * replica runs one unless dispatch is disabled; the leases and claims make each attempt one replica's.
 */
@ApplicationScoped
public class EventDispatcher {

    private static final Logger LOG = Logger.getLogger(EventDispatcher.class);
    private static final Duration RETENTION_PERIOD = Duration.ofHours(1);
    /** Error texts kept per attempt. */
    private static final int ERROR_MAX_CHARS = 500;
    /** Wait before trying the sequencer again when another replica holds it. */
    private static final long BUSY_RETRY_MILLIS = 50;
    /** Most outcomes recorded by one statement. */
    private static final int RECORD_BATCH = 256;
    /** First wait before a failed recording statement is run again. */
    private static final Duration RECORD_RETRY = Duration.ofMillis(50);

    private final Vertx vertx;
    private final Deliveries deliveries;
    private final SecretCipher cipher;
    private final SubscriberUrlGuard guard;
    private final ObjectMapper mapper;
    private final EventsConfig config;
    private final Backoff backoff;
    private final EventSignal signal;
    private final EventMetrics metrics;
    /** Outcomes waiting to be recorded: one statement records all that arrived while the previous one ran. */
    private final Queue<PendingOutcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean recording = new AtomicBoolean();
    private final EventNotifications notifications;
    private final EventsNumbered numbered;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** Delivery rows may be due: the next round claims. */
    private final AtomicBoolean rowsDue = new AtomicBoolean(true);
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean claimAgain = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** This replica's name on the cursors it holds. */
    private final UUID dispatcherId = UUID.randomUUID();
    private final Map<UUID, CursorLane> lanes = new ConcurrentHashMap<>();
    private final Map<UUID, SigningKey> signingKeys = new ConcurrentHashMap<>();
    private final Runnable pokeLanes = () -> lanes.values().forEach(CursorLane::poke);
    /** A lane found no free in-flight slot: the next slot given back lets the lanes go on. */
    private volatile boolean starved;
    private final CursorLane.Host host = new LaneHost();
    private final LogThrottle failures = new LogThrottle(Duration.ofMinutes(1));
    private volatile boolean stopped;
    private WebClient client;
    private long pollTimer = -1;
    private long retentionTimer = -1;
    private long backlogTimer = -1;
    private long cursorTimer = -1;

    public EventDispatcher(Vertx vertx, Deliveries deliveries, SecretCipher cipher, SubscriberUrlGuard guard,
            ObjectMapper mapper, EventsConfig config, EventSignal signal, EventMetrics metrics,
            EventNotifications notifications, EventsNumbered numbered) {
        this.vertx = vertx;
        this.deliveries = deliveries;
        this.cipher = cipher;
        this.guard = guard;
        this.mapper = mapper;
        this.config = config;
        this.signal = signal;
        this.metrics = metrics;
        this.backoff = new Backoff(config.retryInitialInterval(), config.retryMaxInterval(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.notifications = notifications;
        this.numbered = numbered;
    }

    void start(@Observes StartupEvent event) {
        if (!config.dispatchEnabled()) {
            return;
        }
        int timeout = (int) Math.max(1, config.requestTimeout().toMillis());
        // no redirects: a receiver must not be able to point the gateway at another host
        client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setConnectTimeout(timeout)
                .setUserAgent("whatsapp-gateway-events").setMaxPoolSize(config.maxInFlight()));
        notifications.onNotification(payload -> {
            if (EventNotifications.SUBSCRIPTIONS.equals(payload)) {
                claimCursors();
            }
            if (EventNotifications.NUMBERED.equals(payload) || EventNotifications.APPENDED.equals(payload)) {
                wakeForEvents();
            } else {
                wake();
            }
        });
        signal.listen(this::wakeForEvents);
        numbered.listen(pokeLanes);
        pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> {
            wake();
            pokeLanes.run();
        });
        // renewed well before the lease ends; a cursor whose holder died is taken within about a third of a lease
        cursorTimer = vertx.setPeriodic(1L, Math.max(1_000L, config.lease().toMillis() / 3), id -> claimCursors());
        metrics.inFlight(inFlight::get);
        backlogTimer = vertx.setPeriodic(1_000L, config.pollInterval().toMillis(), id -> readBacklog());
        retentionTimer = vertx.setPeriodic(60_000L, RETENTION_PERIOD.toMillis(), id -> purge());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        signal.listen(null);
        notifications.onNotification(null);
        numbered.unlisten(pokeLanes);
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
            vertx.cancelTimer(retentionTimer);
            vertx.cancelTimer(backlogTimer);
            vertx.cancelTimer(cursorTimer);
            List<Uni<Void>> flushes = lanes.values().stream().map(CursorLane::closeAfterFlush).toList();
            lanes.clear();
            if (!flushes.isEmpty()) {
                try {
                    Uni.join().all(flushes).andCollectFailures().await().atMost(Duration.ofSeconds(3));
                } catch (RuntimeException e) {
                    LOG.debugf("Cursors not moved at shutdown (their last deliveries are sent again): %s",
                            e.getMessage());
                }
            }
            // another replica goes on from the cursors at once, not after the lease (events after them are sent again)
            try {
                deliveries.releaseCursors(dispatcherId).await().atMost(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debugf("Cursors not given up at shutdown (taken over when their lease ends): %s", e.getMessage());
            }
        }
        if (client != null) {
            client.close();
        }
    }

    /** Runs a dispatch round now, or right after the one running, that also claims due delivery rows. */
    void wake() {
        rowsDue.set(true);
        wakeForEvents();
    }

    /**
     * Runs a dispatch round for new events only: numbering (their sending is the cursors'); delivery rows are
     * claimed only when something may have made one due (a hand-over, a release, a replay, a retry's time, a free
     * slot, the poll), which saves a claim statement per commit.
     */
    private void wakeForEvents() {
        if (stopped || client == null) {
            return;
        }
        // set before trying to start, so that a round ending at this moment sees it and runs again
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        round().subscribe().with(more -> {
            running.set(false);
            if (more || again.get()) {
                wakeForEvents();
            }
        }, failure -> {
            running.set(false);
            long suppressed = failures.admit("round");
            if (suppressed >= 0) {
                LOG.warnf("Event dispatch round failed (retried on the next notification or poll; %d similar "
                        + "suppressed): %s", suppressed, failure.getMessage());
            }
        });
    }

    /** Takes the cursors no live replica holds and renews this replica's; drops the lanes of cursors it lost. */
    private void claimCursors() {
        // one claim at a time (a claim that started before a subscription was created must not drop its lane)
        claimAgain.set(true);
        if (stopped || !claiming.compareAndSet(false, true)) {
            return;
        }
        claimAgain.set(false);
        deliveries.claimCursors(dispatcherId, config.lease().toMillis()).eventually(() -> {
            claiming.set(false);
            if (claimAgain.get()) {
                claimCursors();
            }
        }).subscribe().with(held -> {
            if (stopped) {
                return;
            }
            Set<UUID> ids = new HashSet<>();
            for (Deliveries.Cursor cursor : held) {
                ids.add(cursor.subscriptionId());
                lanes.computeIfAbsent(cursor.subscriptionId(), id -> {
                    CursorLane lane = new CursorLane(id, dispatcherId, cursor.eventId(), deliveries, host);
                    vertx.runOnContext(lane::poke);
                    return lane;
                });
            }
            lanes.values().removeIf(lane -> {
                if (ids.contains(lane.subscriptionId())) {
                    return false;
                }
                lane.close();
                signingKeys.remove(lane.subscriptionId());
                return true;
            });
        }, failure -> {
            long suppressed = failures.admit("cursors");
            if (suppressed >= 0) {
                LOG.warnf("Subscription cursors not renewed (tried again shortly; %d similar suppressed): %s",
                        suppressed, failure.getMessage());
            }
        });
    }

    /** Numbers committed events, releases queued deliveries, then claims what fits in flight; true when more may wait. */
    private Uni<Boolean> round() {
        return deliveries.sequence().chain(sequenced -> {
            metrics.written(sequenced.events());
            if (sequenced.events() > 0) {
                // committed: this replica's streams read on without waiting for the notification's round trip
                numbered.fire();
            }
            if (sequenced.busy() && !stopped) {
                // another replica holds the sequencer and may have read before this replica's last commit
                vertx.setTimer(BUSY_RETRY_MILLIS, id -> wake());
            }
            int free = config.maxInFlight() - inFlight.get();
            boolean moreEvents = sequenced.events() >= Deliveries.SEQUENCE_BATCH
                    || sequenced.finished() >= Deliveries.RELEASE_BATCH;
            boolean claimRows = rowsDue.getAndSet(false) || sequenced.released() > 0;
            if (!claimRows) {
                return Uni.createFrom().item(moreEvents);
            }
            if (free <= 0) {
                // claimed once a slot is given back
                rowsDue.set(true);
                starved = true;
                return Uni.createFrom().item(moreEvents);
            }
            Instant now = Instant.now();
            return deliveries.claim(now, free, now.plus(config.lease())).map(claimed -> {
                claimed.forEach(this::send);
                if (claimed.size() >= free) {
                    rowsDue.set(true);
                    return true;
                }
                return moreEvents;
            });
        });
    }

    private void send(Deliveries.Claimed delivery) {
        inFlight.incrementAndGet();
        long started = System.nanoTime();
        Uni.createFrom().deferred(() -> attempt(delivery))
                .onFailure().recoverWithItem(failure -> Outcome.error(describe(failure)))
                .chain(outcome -> record(delivery, outcome, (System.nanoTime() - started) / 1_000_000))
                .subscribe().with(retryIn -> {
                    inFlight.decrementAndGet();
                    if (retryIn != null && !stopped) {
                        vertx.setTimer(Math.max(1, retryIn.toMillis()), id -> wake());
                    }
                    wake();
                }, failure -> {
                    inFlight.decrementAndGet();
                    long suppressed = failures.admit("record");
                    if (suppressed >= 0) {
                        LOG.warnf("Outcome of delivery %d not recorded, tried again after its lease (%d similar "
                                + "suppressed): %s", delivery.id(), suppressed, failure.getMessage());
                    }
                });
    }

    /** One signed POST of the delivery's event. */
    private Uni<Outcome> attempt(Deliveries.Claimed delivery) {
        return post(delivery.subscriptionId(), delivery.url(), delivery.encryptedSecret(), delivery.event());
    }

    /** One signed POST of an event to a subscription's url. */
    private Uni<Outcome> post(UUID subscriptionId, String url, String encryptedSecret, CloudEvent event) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        WebhookSigner.Key key = signingKey(subscriptionId, encryptedSecret);
        long timestamp = Instant.now().getEpochSecond();
        String id = event.id();
        String signature = key.sign(id, timestamp, body);
        return guard.checkForDispatch(url).chain(() -> client.postAbs(url)
                .timeout(config.requestTimeout().toMillis())
                .putHeader("content-type", CloudEvent.MEDIA_TYPE)
                .putHeader(WebhookSigner.ID, id)
                .putHeader(WebhookSigner.TIMESTAMP, Long.toString(timestamp))
                .putHeader(WebhookSigner.SIGNATURE, signature)
                .as(BodyCodec.none())
                .sendBuffer(Buffer.buffer(body)))
                .map(response -> response.statusCode() / 100 == 2 ? Outcome.delivered(response.statusCode())
                        : Outcome.refused(response.statusCode()));
    }

    /** Records the outcome; the wait before the next try when there is one. */
    private Uni<Duration> record(Deliveries.Claimed delivery, Outcome outcome, long millis) {
        if (outcome.delivered()) {
            return recorded(new Deliveries.Outcome(delivery.id(), delivery.attempt(), Deliveries.State.DELIVERED,
                    null, outcome.status(), null, millis)).map(done -> {
                        if (done) {
                            metrics.attempt(delivery.subscriptionId(), EventMetrics.Result.DELIVERED);
                        }
                        return (Duration) null;
                    });
        }
        Duration wait = backoff.after(delivery.attempt());
        Instant next = Instant.now().plus(wait);
        boolean giveUp = next.isAfter(delivery.createdAt().plus(config.maxRetryDuration()));
        long suppressed = giveUp ? failures.admit("failed " + delivery.subscriptionId()) : -1;
        if (suppressed >= 0) {
            LOG.warnf("Delivery %d of event %s to subscription %s failed after %d attempts (%s; %d more failed "
                    + "deliveries of it not logged)", delivery.id(), delivery.event().id(), delivery.subscriptionId(),
                    delivery.attempt(), outcome.describe(), suppressed);
        }
        return recorded(new Deliveries.Outcome(delivery.id(), delivery.attempt(),
                giveUp ? Deliveries.State.FAILED : Deliveries.State.PENDING, giveUp ? null : next, outcome.status(),
                outcome.error(), millis)).map(done -> {
                    if (done) {
                        metrics.attempt(delivery.subscriptionId(),
                                giveUp ? EventMetrics.Result.FAILED : EventMetrics.Result.RETRIED);
                    }
                    return done && !giveUp ? wait : null;
                });
    }

    /** Queues an outcome for the next recording statement; true when it counted (see Deliveries#record). */
    private Uni<Boolean> recorded(Deliveries.Outcome outcome) {
        return Uni.createFrom().emitter(emitter -> {
            outcomes.add(new PendingOutcome(outcome, emitter));
            flushOutcomes();
        });
    }

    private void flushOutcomes() {
        if (outcomes.isEmpty() || !recording.compareAndSet(false, true)) {
            return;
        }
        List<PendingOutcome> batch = new ArrayList<>();
        for (PendingOutcome next; batch.size() < RECORD_BATCH && (next = outcomes.poll()) != null;) {
            batch.add(next);
        }
        // a statement lost to a transient error (a deadlock victim, a dropped connection) is run again: recording is
        // idempotent (fenced by attempt number and state), and waiting for the lease would send everything again
        deliveries.record(batch.stream().map(PendingOutcome::outcome).toList())
                .onFailure().retry().withBackOff(RECORD_RETRY, RECORD_RETRY.multipliedBy(4)).atMost(3)
                .subscribe().with(recorded -> {
                    recording.set(false);
                    batch.forEach(p -> p.emitter().complete(recorded.contains(p.outcome().deliveryId())));
                    flushOutcomes();
                }, failure -> {
                    recording.set(false);
                    batch.forEach(p -> p.emitter().fail(failure));
                    flushOutcomes();
                });
    }

    private record PendingOutcome(Deliveries.Outcome outcome, UniEmitter<? super Boolean> emitter) {
    }

    private void readBacklog() {
        deliveries.backlog().subscribe().with(metrics::backlog,
                failure -> LOG.debugf("Event backlog not read: %s", failure.getMessage()));
    }

    private void purge() {
        deliveries.purge(Instant.now().minus(config.retention())).subscribe().with(dropped -> {
            if (dropped > 0) {
                LOG.infof("Dropped %d event(s) older than %s", dropped, config.retention());
            }
        }, failure -> LOG.debugf("Event retention skipped: %s", failure.getMessage()));
    }

    private static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() > ERROR_MAX_CHARS ? text.substring(0, ERROR_MAX_CHARS) : text;
    }

    /** The answer to one attempt: a status (2xx delivered), or an error without an answer. */
    record Outcome(boolean delivered, Integer status, String error) {
        static Outcome delivered(int status) {
            return new Outcome(true, status, null);
        }

        static Outcome refused(int status) {
            return new Outcome(false, status, null);
        }

        static Outcome error(String error) {
            return new Outcome(false, null, error);
        }

        String describe() {
            return status != null ? "HTTP " + status : error;
        }
    }

    /**
     * The subscription's signing key, decrypted once per stored secret (a changed secret is a new ciphertext) rather
     * than once per POST; dropped with the subscription's lane or when the secret changes.
     */
    private WebhookSigner.Key signingKey(UUID subscriptionId, String encryptedSecret) {
        SigningKey known = signingKeys.get(subscriptionId);
        if (known != null && known.encrypted().equals(encryptedSecret)) {
            return known.key();
        }
        WebhookSigner.Key key = new WebhookSigner.Key(WebhookSigner.key(cipher.decrypt(encryptedSecret,
                SubscriptionService.SECRET_COLUMN, subscriptionId)));
        signingKeys.put(subscriptionId, new SigningKey(encryptedSecret, key));
        return key;
    }

    private record SigningKey(String encrypted, WebhookSigner.Key key) {
    }

    /** The dispatcher as its cursor lanes see it. */
    private final class LaneHost implements CursorLane.Host {

        @Override
        public boolean acquire() {
            if (stopped) {
                return false;
            }
            if (inFlight.incrementAndGet() > config.maxInFlight()) {
                inFlight.decrementAndGet();
                starved = true;
                return false;
            }
            return true;
        }

        @Override
        public void release() {
            inFlight.decrementAndGet();
            if (starved) {
                starved = false;
                lanes.values().forEach(CursorLane::pump);
                wake();
            }
        }

        @Override
        public Uni<Outcome> post(UUID subscriptionId, String url, String encryptedSecret, CloudEvent event) {
            return EventDispatcher.this.post(subscriptionId, url, encryptedSecret, event);
        }

        @Override
        public Instant retryAt() {
            return Instant.now().plus(backoff.after(1));
        }

        @Override
        public void counted(UUID subscriptionId, EventMetrics.Result result) {
            metrics.attempt(subscriptionId, result);
        }

        @Override
        public void later(long millis, Runnable action) {
            if (!stopped) {
                vertx.setTimer(Math.max(1, millis), id -> action.run());
            }
        }

        @Override
        public void wakeAt(Instant at) {
            later(Duration.between(Instant.now(), at).toMillis(), EventDispatcher.this::wake);
        }

        @Override
        public void closed(CursorLane lane) {
            lane.close();
            signingKeys.remove(lane.subscriptionId());
            lanes.remove(lane.subscriptionId(), lane);
        }

        @Override
        public String describe(Throwable failure) {
            return EventDispatcher.describe(failure);
        }
    }

    /** Deliveries in flight on this replica (tests, metrics). */
    int inFlight() {
        return inFlight.get();
    }

}
