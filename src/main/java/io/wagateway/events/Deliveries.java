package io.wagateway.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.BoundedBatches;
import io.wagateway.common.IdCursor;
import io.wagateway.common.SqlFiles;

/**
 * The statements of dispatch: numbering committed events, reading and moving each subscription's cursor, handing
 * events over to delivery rows, claiming due deliveries, recording attempts, and retention. The one writer of
 * {@code gateway_event_deliveries}, {@code gateway_delivery_attempts}, {@code gateway_delivery_runs},
 * {@code gateway_subscription_cursors} and {@code gateway_event_sequencer}.
 */
@ApplicationScoped
public class Deliveries {

    /** Events numbered per sequencing statement. */
    static final int SEQUENCE_BATCH = 1000;
    /** Finished deliveries whose successors are released per sequencing run. */
    static final int RELEASE_BATCH = 1000;
    /** Events queued again per replay request; the caller continues after {@link Replayed#lastEventId()}. */
    public static final int REPLAY_BATCH = 10_000;
    /** Events dropped per retention statement, and statements per run. */
    static final int RETENTION_BATCH = 1000;
    static final int RETENTION_MAX_BATCHES = 100;

    /** A delivery claimed for one attempt. */
    public record Claimed(long id, int attempt, Instant createdAt, UUID subscriptionId, String url,
            String encryptedSecret, CloudEvent event) {
    }

    /**
     * What one sequencing run did: events numbered, finished deliveries looked at, waiting deliveries released.
     * {@code busy}: work waits but another replica holds the sequencer (try again shortly).
     */
    public record Sequenced(boolean busy, long events, long finished, long released) {
        static final Sequenced IDLE = new Sequenced(false, 0, 0, 0);
    }

    /** A subscription's cursor as this replica took or renewed it. */
    public record Cursor(UUID subscriptionId, long eventId) {
    }

    /** An event read from a cursor; {@code held}: its session has a pending delivery row to queue behind. */
    public record CursorEvent(CloudEvent event, boolean held) {
    }

    /**
     * A page read from a cursor: the subscription's current url, secret and state, the events matching it, the last
     * id scanned (null: nothing new), and whether as many were scanned as asked for (more may wait).
     */
    public record CursorPage(String url, String encryptedSecret, boolean active, Long scannedTo, boolean full,
            List<CursorEvent> events) {
    }

    /** A first attempt from a cursor answered 2xx, for the attempt log. */
    public record FirstAttempt(long eventId, int status, long durationMillis) {
    }

    /**
     * An event handed over from a cursor to a delivery row: with {@code retryAt} when its first attempt failed
     * (answer {@code status} or {@code error}), else not tried yet.
     */
    public record Handover(long eventId, UUID subject, Instant retryAt, Integer status, String error,
            long durationMillis) {
        /** An event queued behind its session's earlier one, not tried yet. */
        static Handover untried(long eventId, UUID subject) {
            return new Handover(eventId, subject, null, null, null, 0);
        }
    }

    /** One attempt's outcome to record. */
    public record Outcome(long deliveryId, int attempt, State state, Instant nextAttempt, Integer status,
            String error, long durationMillis) {
    }

    /**
     * One entry of a subscription's attempt log; {@code (id, position)} orders the log: position 0 for an attempt row,
     * 1..n within a run of first attempts.
     */
    public record Attempt(long id, long position, long eventId, int attempt, Integer statusCode, String error,
            int durationMillis, Instant attemptedAt, Instant nextAttemptAt, State deliveryState) {
    }

    /** A subscription's pending deliveries and the age of the oldest, in ms. */
    public record Backlog(long pending, long oldestMillis) {
    }

    /** What a replay queued: events queued again, the last event it looked at, and whether more may follow. */
    public record Replayed(long queued, Long lastEventId, boolean more) {
    }

    public enum State {
        PENDING,
        DELIVERED,
        FAILED;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String lock = SqlFiles.load("events/sequencer-lock.sql");
    private final String sequence = SqlFiles.load("events/sequence.sql");
    private final String claim = SqlFiles.load("events/claim.sql");
    private final String cursorClaim = SqlFiles.load("events/cursor-claim.sql");
    private final String cursorRelease = SqlFiles.load("events/cursor-release.sql");
    private final String cursorPage = SqlFiles.load("events/cursor-page.sql");
    private final String cursorAdvance = SqlFiles.load("events/cursor-advance.sql");
    private final String park = SqlFiles.load("events/park.sql");
    private final String release = SqlFiles.load("events/release.sql");
    private final String attempt = SqlFiles.load("events/attempt.sql");
    private final String replay = SqlFiles.load("events/replay.sql");
    private final String replayHeads = SqlFiles.load("events/replay-heads.sql");
    private final String attemptsPage = SqlFiles.load("events/attempts-page.sql");
    private final String eventAttemptsPage = SqlFiles.load("events/event-attempts-page.sql");
    private final String backlog = SqlFiles.load("events/backlog.sql");
    private final String retention = SqlFiles.load("events/retention.sql");
    private final String runsRetention = SqlFiles.load("events/runs-retention.sql");
    private final Pool pool;
    private final EventLog log;

    public Deliveries(Pool pool, EventLog log) {
        this.pool = pool;
        this.log = log;
    }

    /**
     * Numbers up to {@link #SEQUENCE_BATCH} committed events, then releases the next delivery of sessions whose head
     * finished, in one transaction holding the sequencer.
     */
    public Uni<Sequenced> sequence() {
        return pool.withTransaction(tx -> tx.preparedQuery(lock).execute().chain(locked -> {
            Row state = locked.iterator().next();
            Long lastId = state.getLong("last_id");
            if (lastId == null) {
                return Uni.createFrom().item(state.getBoolean("waiting") ? new Sequenced(true, 0, 0, 0)
                        : Sequenced.IDLE);
            }
            return tx.preparedQuery(sequence).execute(Tuple.of(lastId, SEQUENCE_BATCH)).chain(numbered -> {
                Row row = numbered.iterator().next();
                long events = row.getLong("events");
                return tx.preparedQuery(release).execute(Tuple.of(RELEASE_BATCH)).chain(releasedRows -> {
                    Row r = releasedRows.iterator().next();
                    Sequenced done = new Sequenced(false, events, r.getLong("finished"), r.getLong("released"));
                    // every replica learns of the numbered events and released deliveries when this commits: their
                    // dispatchers claim, their streams read on (EventNotifications)
                    return events == 0 && done.released() == 0 ? Uni.createFrom().item(done)
                            : tx.query("SELECT pg_notify('" + EventNotifications.CHANNEL + "', '"
                                    + (events > 0 ? EventNotifications.NUMBERED : "released") + "')").execute()
                                    .replaceWith(done);
                });
            });
        }));
    }

    /** Claims up to {@code limit} deliveries due at {@code now}, each held for this replica until {@code leaseEnd}. */
    public Uni<List<Claimed>> claim(Instant now, int limit, Instant leaseEnd) {
        return pool.preparedQuery(claim).execute(Tuple.of(utc(now), limit, utc(leaseEnd))).map(rows -> {
            List<Claimed> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new Claimed(row.getLong("id"), row.getInteger("attempts"),
                        row.getOffsetDateTime("created_at").toInstant(), row.getUUID("subscription_id"),
                        row.getString("url"), row.getString("secret"), log.toCloudEvent(row, "event_id")));
            }
            return out;
        });
    }

    /** Takes or renews the cursors no live replica holds, for {@code leaseMillis}; the ones this replica holds. */
    public Uni<List<Cursor>> claimCursors(UUID dispatcher, long leaseMillis) {
        return pool.preparedQuery(cursorClaim).execute(Tuple.of(dispatcher, leaseMillis)).map(rows -> {
            List<Cursor> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new Cursor(row.getUUID("subscription_id"), row.getLong("cursor_event_id")));
            }
            return out;
        });
    }

    /** Gives up this replica's cursors (shutdown), so that another replica takes them at once. */
    public Uni<Void> releaseCursors(UUID dispatcher) {
        return pool.preparedQuery(cursorRelease).execute(Tuple.of(dispatcher)).replaceWithVoid();
    }

    /** The subscription's events after {@code afterId}, scanning at most {@code limit}; null when it is gone. */
    public Uni<CursorPage> readCursor(UUID subscriptionId, long afterId, int limit) {
        return pool.preparedQuery(cursorPage).execute(Tuple.of(subscriptionId, afterId, limit)).map(rows -> {
            CursorPage page = null;
            List<CursorEvent> events = new ArrayList<>();
            for (Row row : rows) {
                if (page == null) {
                    page = new CursorPage(row.getString("url"), row.getString("secret"), row.getBoolean("is_active"),
                            row.getLong("scanned_to"), row.getLong("scanned") >= limit, events);
                }
                if (row.getLong("event_id") != null) {
                    events.add(new CursorEvent(log.toCloudEvent(row, "event_id"), row.getBoolean("held")));
                }
            }
            return page;
        });
    }

    /**
     * Logs first attempts answered 2xx and moves the cursor to {@code cursor}, fenced by this replica's lease;
     * false when another replica holds the cursor now.
     */
    public Uni<Boolean> advance(UUID subscriptionId, UUID dispatcher, long cursor, List<FirstAttempt> attempts) {
        int n = attempts.size();
        Long[] events = new Long[n];
        Integer[] statuses = new Integer[n], durations = new Integer[n];
        for (int i = 0; i < n; i++) {
            FirstAttempt a = attempts.get(i);
            events[i] = a.eventId();
            statuses[i] = a.status();
            durations[i] = (int) Math.min(Integer.MAX_VALUE, a.durationMillis());
        }
        return pool.preparedQuery(cursorAdvance)
                .execute(Tuple.tuple().addUUID(subscriptionId).addUUID(dispatcher).addLong(cursor)
                        .addArrayOfLong(events).addArrayOfInteger(statuses).addArrayOfInteger(durations))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Hands events read from the subscription's cursor over to delivery rows, queued per session behind its earlier
     * pending deliveries, in one transaction holding the sequencer (see park.sql); how many rows it made.
     */
    public Uni<Long> handOver(UUID subscriptionId, List<Handover> events) {
        int n = events.size();
        Long[] ids = new Long[n];
        UUID[] subjects = new UUID[n];
        OffsetDateTime[] retries = new OffsetDateTime[n];
        Integer[] statuses = new Integer[n], durations = new Integer[n];
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
            Handover h = events.get(i);
            ids[i] = h.eventId();
            subjects[i] = h.subject();
            retries[i] = h.retryAt() == null ? null : utc(h.retryAt());
            statuses[i] = h.status();
            errors[i] = h.error();
            durations[i] = (int) Math.min(Integer.MAX_VALUE, h.durationMillis());
        }
        return pool.withTransaction(tx -> tx.query("SELECT last_id FROM gateway_event_sequencer FOR UPDATE").execute()
                .chain(() -> tx.preparedQuery(park).execute(Tuple.tuple().addUUID(subscriptionId).addArrayOfLong(ids)
                        .addArrayOfUUID(subjects).addArrayOfOffsetDateTime(retries).addArrayOfInteger(statuses)
                        .addArrayOfString(errors).addArrayOfInteger(durations)))
                .map(rows -> rows.iterator().next().getLong("parked"))
                // due rows wait for a claim: every replica's dispatcher is woken when this commits
                .call(() -> tx.query("SELECT pg_notify('" + EventNotifications.CHANNEL + "', 'handed-over')").execute()));
    }

    /**
     * Records outcomes in one statement; the ids of the deliveries recorded. An outcome whose delivery was claimed
     * again meanwhile (its lease ran out) is left out: it no longer counts.
     */
    public Uni<Set<Long>> record(List<Outcome> outcomes) {
        int n = outcomes.size();
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n], statuses = new Integer[n], durations = new Integer[n];
        String[] states = new String[n], errors = new String[n];
        OffsetDateTime[] next = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Outcome o = outcomes.get(i);
            ids[i] = o.deliveryId();
            attempts[i] = o.attempt();
            states[i] = o.state().column();
            next[i] = o.nextAttempt() == null ? null : utc(o.nextAttempt());
            statuses[i] = o.status();
            errors[i] = o.error();
            durations[i] = (int) Math.min(Integer.MAX_VALUE, o.durationMillis());
        }
        return pool.preparedQuery(this.attempt)
                .execute(Tuple.tuple().addArrayOfLong(ids).addArrayOfInteger(attempts).addArrayOfString(states)
                        .addArrayOfOffsetDateTime(next).addArrayOfInteger(statuses).addArrayOfString(errors)
                        .addArrayOfInteger(durations))
                .map(rows -> {
                    Set<Long> recorded = new HashSet<>();
                    for (Row row : rows) {
                        recorded.add(row.getLong("delivery_id"));
                    }
                    return recorded;
                });
    }

    /**
     * Queues the subscription's events from {@code fromEventId} (or from {@code since}) again, at most
     * {@link #REPLAY_BATCH}; null when the subscription does not exist.
     */
    public Uni<Replayed> replay(UUID subscriptionId, Long fromEventId, Instant since) {
        return pool.withTransaction(tx -> tx.query("SELECT last_id FROM gateway_event_sequencer FOR UPDATE")
                .execute()
                .chain(() -> tx.preparedQuery(replay).execute(Tuple.tuple().addUUID(subscriptionId).addLong(fromEventId)
                        .addOffsetDateTime(since == null ? null : utc(since)).addInteger(REPLAY_BATCH)))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    UUID[] subjects = row.getArrayOfUUIDs("subjects");
                    Replayed done = new Replayed(row.getLong("queued"), row.getLong("last_event_id"),
                            row.getLong("picked") >= REPLAY_BATCH);
                    Uni<Void> heads = subjects.length == 0 ? Uni.createFrom().voidItem()
                            : tx.preparedQuery(replayHeads).execute(Tuple.of(subscriptionId, subjects))
                                    .replaceWithVoid();
                    return heads.chain(() -> done.queued() == 0 ? Uni.createFrom().voidItem()
                            : tx.query("SELECT pg_notify('" + EventNotifications.CHANNEL + "', 'replayed')").execute()
                                    .replaceWithVoid())
                            .replaceWith(done);
                }));
    }

    /**
     * A page of the subscription's attempt log, newest first, before the entry {@code before} (null: the newest);
     * only the attempts of {@code eventId} when it is not null.
     */
    public Uni<List<Attempt>> attempts(UUID subscriptionId, IdCursor.Position before, Long eventId, int limit) {
        Tuple args = Tuple.tuple().addUUID(subscriptionId).addLong(before == null ? null : before.id())
                .addLong(before == null ? 0 : before.position()).addInteger(limit);
        return pool.preparedQuery(eventId == null ? attemptsPage : eventAttemptsPage)
                .execute(eventId == null ? args : args.addLong(eventId))
                .map(rows -> {
                    List<Attempt> out = new ArrayList<>();
                    for (Row row : rows) {
                        OffsetDateTime next = row.getOffsetDateTime("next_attempt_at");
                        out.add(new Attempt(row.getLong("id"), row.getLong("position"), row.getLong("event_id"),
                                row.getInteger("attempt"), row.getInteger("status_code"), row.getString("error"),
                                row.getInteger("duration_ms"), row.getOffsetDateTime("attempted_at").toInstant(),
                                next == null ? null : next.toInstant(),
                                State.valueOf(row.getString("state").toUpperCase(java.util.Locale.ROOT))));
                    }
                    return out;
                });
    }

    /** Every subscription's backlog. */
    public Uni<Map<UUID, Backlog>> backlog() {
        return pool.preparedQuery(backlog).execute().map(rows -> {
            Map<UUID, Backlog> out = new HashMap<>();
            for (Row row : rows) {
                out.put(row.getUUID("id"), new Backlog(row.getLong("pending"), row.getLong("oldest_ms")));
            }
            return out;
        });
    }

    /**
     * Drops numbered events older than {@code cutoff} in bounded batches, then the runs of first attempts made before
     * it; how many events.
     */
    public Uni<Long> purge(Instant cutoff) {
        OffsetDateTime at = utc(cutoff);
        return BoundedBatches.untilShort(() -> pool.preparedQuery(retention).execute(Tuple.of(at, RETENTION_BATCH))
                .map(rows -> (long) rows.rowCount()), RETENTION_BATCH, RETENTION_MAX_BATCHES)
                .call(() -> BoundedBatches.untilShort(() -> pool.preparedQuery(runsRetention)
                        .execute(Tuple.of(at, RETENTION_BATCH)).map(rows -> (long) rows.rowCount()),
                        RETENTION_BATCH, RETENTION_MAX_BATCHES));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
