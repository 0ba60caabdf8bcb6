package io.wagateway.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;

/**
 * The statements of dispatch: numbering committed events and fanning them out to subscriptions, claiming due
 * deliveries, recording attempts, and retention. The one writer of {@code gateway_event_deliveries},
 * {@code gateway_delivery_attempts} and {@code gateway_event_sequencer}.
 */
@ApplicationScoped
public class Deliveries {

    /** Events numbered per sequencing statement. */
    static final int SEQUENCE_BATCH = 1000;
    /** Events dropped per retention statement, and statements per run. */
    static final int RETENTION_BATCH = 1000;
    static final int RETENTION_MAX_BATCHES = 100;

    /** A delivery claimed for one attempt. */
    public record Claimed(long id, int attempt, Instant createdAt, UUID subscriptionId, String url,
            String encryptedSecret, CloudEvent event) {
    }

    /** What one sequencing run did; {@code locked} false: nothing waited, or another replica holds the sequencer. */
    public record Sequenced(boolean locked, long events, long deliveries) {
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
    private final String attempt = SqlFiles.load("events/attempt.sql");
    private final String retention = SqlFiles.load("events/retention.sql");
    private final Pool pool;
    private final EventLog log;

    public Deliveries(Pool pool, EventLog log) {
        this.pool = pool;
        this.log = log;
    }

    /** Numbers up to {@link #SEQUENCE_BATCH} committed events and creates their deliveries, in one transaction. */
    public Uni<Sequenced> sequence() {
        return pool.withTransaction(tx -> tx.preparedQuery(lock).execute().chain(locked -> {
            if (!locked.iterator().hasNext()) {
                return Uni.createFrom().item(new Sequenced(false, 0, 0));
            }
            long lastId = locked.iterator().next().getLong("last_id");
            return tx.preparedQuery(sequence).execute(Tuple.of(lastId, SEQUENCE_BATCH)).chain(rows -> {
                Row row = rows.iterator().next();
                Sequenced done = new Sequenced(true, row.getLong("events"), row.getLong("deliveries"));
                // every replica learns of the numbered events when this transaction commits: their dispatchers
                // claim the new deliveries, their streams read on (EventNotifications)
                return done.events() == 0 ? Uni.createFrom().item(done)
                        : tx.query("SELECT pg_notify('" + EventNotifications.CHANNEL + "', '"
                                + EventNotifications.NUMBERED + "')").execute().replaceWith(done);
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

    /**
     * Records the outcome of attempt {@code attempt}; false when the delivery was claimed again meanwhile (its
     * lease ran out), so this outcome no longer counts.
     */
    public Uni<Boolean> record(long deliveryId, int attempt, State state, Instant nextAttempt, Integer status,
            String error, long durationMillis) {
        return pool.preparedQuery(this.attempt)
                .execute(Tuple.tuple().addLong(deliveryId).addInteger(attempt).addString(state.column())
                        .addOffsetDateTime(nextAttempt == null ? null : utc(nextAttempt)).addInteger(status)
                        .addString(error).addInteger((int) Math.min(Integer.MAX_VALUE, durationMillis)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Drops numbered events older than {@code cutoff} in bounded batches; how many. */
    public Uni<Long> purge(Instant cutoff) {
        return purgeBatch(utc(cutoff), 0, 0L);
    }

    private Uni<Long> purgeBatch(OffsetDateTime cutoff, int round, long dropped) {
        return pool.preparedQuery(retention).execute(Tuple.of(cutoff, RETENTION_BATCH)).chain(rows -> {
            long total = dropped + rows.rowCount();
            return rows.rowCount() < RETENTION_BATCH || round + 1 >= RETENTION_MAX_BATCHES
                    ? Uni.createFrom().item(total)
                    : purgeBatch(cutoff, round + 1, total);
        });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
