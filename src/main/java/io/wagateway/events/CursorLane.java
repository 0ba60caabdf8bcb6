package io.wagateway.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Sends one subscription's events from its cursor, on the replica that holds the cursor's lease: reads the log in id
 * order, sends each session's events one after another (other sessions at once, within the dispatcher's in-flight
 * limit), logs the 2xx answers and moves the cursor past what is done. An event whose first attempt fails is handed
 * over to a delivery row with its next try, together with the events of its session read behind it; so is an event
 * of a session that already has a pending delivery row. The delivery rows are then retried, released and
 * dead-lettered as before ({@link EventDispatcher}), so per-session order holds across both.
 * <p>
 * The cursor only moves past events that are delivered or handed over; a replica that dies sends the events after
 * the cursor again from the next holder (at least once, same {@code webhook-id}). Reads and hand-overs run one at a
 * time, so an event read after a hand-over committed sees its session held. State is guarded by this object's
 * monitor, held only for bookkeeping, never across I/O.
 */
final class CursorLane {

    private static final Logger LOG = Logger.getLogger(CursorLane.class);
    /** Events scanned per read. */
    static final int PAGE = 500;
    /** Most events read and not yet done, per lane. */
    static final int WINDOW = 2000;
    /** Most 2xx attempts logged by one cursor statement. */
    private static final int ADVANCE_BATCH = 1000;
    /** Wait before a failed read or hand-over is tried again. */
    private static final long RETRY_MILLIS = 1000;
    /**
     * Least time between two cursor statements of a lane, unless a full batch waits. Each one is a commit (a WAL
     * flush); under load the deliveries answered meanwhile share one instead of a commit every few events. The
     * price: after a crash the next holder sends up to this long's deliveries again (at least once, same
     * webhook-id), and the attempt log shows them this much later. Sending itself never waits for it.
     */
    static final long ADVANCE_PAUSE_MILLIS = 50;

    /** What the lane needs from the dispatcher. */
    interface Host {
        /** Takes one of the replica's in-flight slots; false when none is free. */
        boolean acquire();

        /** Gives a slot back (and lets lanes waiting for one go on). */
        void release();

        /** One signed POST of the event. */
        Uni<EventDispatcher.Outcome> post(UUID subscriptionId, String url, String encryptedSecret, CloudEvent event);

        /** When to try again after a failed first attempt. */
        Instant retryAt();

        void counted(UUID subscriptionId, EventMetrics.Result result);

        void later(long millis, Runnable action);

        /** Claims due delivery rows at {@code at} (a handed-over event's next try). */
        void wakeAt(Instant at);

        /** The lane's cursor is gone (lease taken over, subscription inactive or deleted). */
        void closed(CursorLane lane);

        String describe(Throwable failure);
    }

    private record Item(long id, UUID subject, CloudEvent event) {
    }

    /** Events of one session read and not done: the first is in flight (or ready), the others wait behind it. */
    private static final class Session {
        final ArrayDeque<Item> behind = new ArrayDeque<>();
        /** Handed over (or being): every later event of the session read goes to a delivery row too. */
        boolean handingOver;
    }

    private final UUID subscriptionId;
    private final UUID dispatcher;
    private final Deliveries deliveries;
    private final Host host;

    private long cursor;
    private long readTo;
    private String url;
    private String secret;
    private boolean closed;
    /** A read or a hand-over runs (one at a time). */
    private boolean busy;
    /** Events may wait after readTo. */
    private boolean more = true;
    private boolean advancing;
    /** A paced cursor statement is scheduled. */
    private boolean advanceScheduled;
    /** When the last cursor statement started (System.nanoTime). */
    private long lastAdvance = System.nanoTime() - ADVANCE_PAUSE_MILLIS * 1_000_000;
    private final ArrayDeque<Item> ready = new ArrayDeque<>();
    private final Map<UUID, Session> sessions = new HashMap<>();
    private final TreeSet<Long> open = new TreeSet<>();
    private final List<Deliveries.Handover> handovers = new ArrayList<>();
    private final List<Deliveries.FirstAttempt> delivered = new ArrayList<>();

    CursorLane(UUID subscriptionId, UUID dispatcher, long cursor, Deliveries deliveries, Host host) {
        this.subscriptionId = subscriptionId;
        this.dispatcher = dispatcher;
        this.cursor = cursor;
        this.readTo = cursor;
        this.deliveries = deliveries;
        this.host = host;
    }

    UUID subscriptionId() {
        return subscriptionId;
    }

    /** New events may have been numbered: read on. */
    void poke() {
        synchronized (this) {
            more = true;
        }
        pump();
    }

    /** Stops: nothing more is read, sent or recorded by this lane (another holder goes on from the cursor). */
    void close() {
        synchronized (this) {
            closed = true;
            ready.clear();
            sessions.clear();
            handovers.clear();
        }
    }

    /**
     * Stops at shutdown like {@link #close()}, after one last cursor statement for what was delivered since the last
     * one (so the next holder does not send it again); completes when that statement did, failed or was not needed.
     */
    Uni<Void> closeAfterFlush() {
        List<Deliveries.FirstAttempt> logging;
        long to;
        synchronized (this) {
            if (closed) {
                return Uni.createFrom().voidItem();
            }
            to = open.isEmpty() ? readTo : open.first() - 1;
            logging = new ArrayList<>(delivered);
            delivered.clear();
            close();
            if (logging.isEmpty() && to <= cursor) {
                return Uni.createFrom().voidItem();
            }
        }
        // may run beside a statement in flight: each logs its own attempts, and the cursor only moves forward
        return deliveries.advance(subscriptionId, dispatcher, to, logging).replaceWithVoid()
                .onFailure().invoke(failure -> LOG.debugf("Cursor of subscription %s not moved at shutdown: %s",
                        subscriptionId, failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Starts what can start: a hand-over or a read, the sends that fit, the cursor statement. */
    void pump() {
        List<Item> sending = new ArrayList<>();
        boolean read = false;
        List<Deliveries.Handover> handing = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!busy && !handovers.isEmpty()) {
                busy = true;
                handing = new ArrayList<>(handovers);
                handovers.clear();
            } else if (!busy && more && open.size() < WINDOW) {
                busy = true;
                more = false;
                read = true;
            }
            while (!ready.isEmpty() && host.acquire()) {
                sending.add(ready.poll());
            }
        }
        if (handing != null) {
            handOver(handing);
        } else if (read) {
            read();
        }
        sending.forEach(this::send);
        advance();
    }

    private void read() {
        long after;
        synchronized (this) {
            after = readTo;
        }
        deliveries.readCursor(subscriptionId, after, PAGE).subscribe().with(page -> {
            if (page == null || !page.active()) {
                host.closed(this);
                return;
            }
            synchronized (this) {
                busy = false;
                if (closed) {
                    return;
                }
                url = page.url();
                secret = page.encryptedSecret();
                if (page.scannedTo() != null) {
                    readTo = page.scannedTo();
                }
                // a short page read all there was: the next read waits for the next numbering run's poke (one that
                // came while this read ran has set more already)
                if (page.full()) {
                    more = true;
                }
                for (Deliveries.CursorEvent read : page.events()) {
                    take(read);
                }
            }
            pump();
        }, failure -> {
            synchronized (this) {
                busy = false;
                more = true;
            }
            LOG.debugf("Cursor of subscription %s not read: %s", subscriptionId, failure.getMessage());
            host.later(RETRY_MILLIS, this::pump);
        });
    }

    /** Queues one event read (under the monitor). */
    private void take(Deliveries.CursorEvent read) {
        CloudEvent event = read.event();
        long id = Long.parseLong(event.id());
        UUID subject = event.subject() == null ? null : UUID.fromString(event.subject());
        Item item = new Item(id, subject, event);
        open.add(id);
        if (subject == null) {
            ready.add(item);
            return;
        }
        Session session = sessions.get(subject);
        if (session == null && read.held()) {
            session = new Session();
            session.handingOver = true;
            sessions.put(subject, session);
        }
        if (session == null) {
            sessions.put(subject, new Session());
            ready.add(item);
        } else if (session.handingOver) {
            handovers.add(Deliveries.Handover.untried(id, subject));
        } else {
            session.behind.add(item);
        }
    }

    private void send(Item item) {
        String target;
        String key;
        synchronized (this) {
            target = url;
            key = secret;
        }
        long started = System.nanoTime();
        Uni.createFrom().deferred(() -> host.post(subscriptionId, target, key, item.event()))
                .onFailure().recoverWithItem(failure -> EventDispatcher.Outcome.error(host.describe(failure)))
                .subscribe().with(outcome -> {
                    host.release();
                    done(item, outcome, (System.nanoTime() - started) / 1_000_000);
                    pump();
                });
    }

    private void done(Item item, EventDispatcher.Outcome outcome, long millis) {
        synchronized (this) {
            if (closed) {
                return;
            }
            Session session = item.subject() == null ? null : sessions.get(item.subject());
            if (outcome.delivered()) {
                open.remove(item.id());
                delivered.add(new Deliveries.FirstAttempt(item.id(), outcome.status(), millis));
                if (session != null) {
                    Item next = session.behind.poll();
                    if (next != null) {
                        ready.add(next);
                    } else {
                        sessions.remove(item.subject());
                    }
                }
                return;
            }
            handovers.add(new Deliveries.Handover(item.id(), item.subject(), host.retryAt(), outcome.status(),
                    outcome.error(), millis));
            if (session != null) {
                session.handingOver = true;
                for (Item behind; (behind = session.behind.poll()) != null;) {
                    handovers.add(Deliveries.Handover.untried(behind.id(), behind.subject()));
                }
            }
        }
        if (outcome.delivered()) {
            host.counted(subscriptionId, EventMetrics.Result.DELIVERED);
        }
    }

    private void handOver(List<Deliveries.Handover> handing) {
        deliveries.handOver(subscriptionId, handing).subscribe().with(rows -> {
            int retried = 0;
            Instant firstRetry = null;
            synchronized (this) {
                busy = false;
                Set<UUID> pending = new HashSet<>();
                handovers.forEach(h -> pending.add(h.subject()));
                for (Deliveries.Handover h : handing) {
                    open.remove(h.eventId());
                    if (h.retryAt() != null) {
                        retried++;
                        firstRetry = firstRetry == null || h.retryAt().isBefore(firstRetry) ? h.retryAt() : firstRetry;
                    }
                    // committed: the session's later events read from now on come with held set
                    if (h.subject() != null && !pending.contains(h.subject())) {
                        sessions.remove(h.subject());
                    }
                }
            }
            for (int i = 0; i < retried; i++) {
                host.counted(subscriptionId, EventMetrics.Result.RETRIED);
            }
            if (firstRetry != null) {
                host.wakeAt(firstRetry);
            }
            pump();
        }, failure -> {
            synchronized (this) {
                busy = false;
                handovers.addAll(0, handing);
            }
            LOG.warnf("Events of subscription %s not handed over to retries (tried again): %s", subscriptionId,
                    failure.getMessage());
            host.later(RETRY_MILLIS, this::pump);
        });
    }

    /**
     * Logs the 2xx attempts and moves the cursor, one statement at a time and at most one per
     * {@link #ADVANCE_PAUSE_MILLIS} unless a full batch waits.
     */
    private void advance() {
        List<Deliveries.FirstAttempt> logging;
        long to;
        long pause;
        synchronized (this) {
            if (closed || advancing) {
                return;
            }
            to = open.isEmpty() ? readTo : open.first() - 1;
            if (delivered.isEmpty() && to <= cursor) {
                return;
            }
            long now = System.nanoTime();
            pause = (lastAdvance + ADVANCE_PAUSE_MILLIS * 1_000_000 - now) / 1_000_000;
            if (pause > 0 && delivered.size() < ADVANCE_BATCH) {
                if (advanceScheduled) {
                    return;
                }
                advanceScheduled = true;
                logging = null;
            } else {
                advancing = true;
                lastAdvance = now;
                int n = Math.min(delivered.size(), ADVANCE_BATCH);
                logging = new ArrayList<>(delivered.subList(0, n));
                delivered.subList(0, n).clear();
            }
        }
        if (logging == null) {
            host.later(Math.max(1, pause), () -> {
                synchronized (this) {
                    advanceScheduled = false;
                }
                advance();
            });
            return;
        }
        long target = to;
        deliveries.advance(subscriptionId, dispatcher, target, logging).subscribe().with(held -> {
            if (!held) {
                host.closed(this);
                return;
            }
            synchronized (this) {
                advancing = false;
                cursor = Math.max(cursor, target);
            }
            advance();
        }, failure -> {
            synchronized (this) {
                advancing = false;
                delivered.addAll(0, logging);
            }
            LOG.debugf("Cursor of subscription %s not moved: %s", subscriptionId, failure.getMessage());
            host.later(RETRY_MILLIS, this::advance);
        });
    }

    /** Events read and not done (tests, metrics). */
    synchronized int open() {
        return open.size();
    }
}
