package io.wagateway.conversation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.wagateway.common.DataErrors;
import io.wagateway.common.SqlFiles;

/**
 * The SQL of webhook ingestion, run on the reactive PostgreSQL client directly: each step is one native
 * statement ({@code INSERT ... ON CONFLICT}, a monotonic {@code UPDATE}) that JPQL cannot express, and a
 * lone inbound message is stored in a single round trip. The statements live in {@code db/conversation/*.sql}
 * (the benchmark's pgbench script is generated from the same file).
 */
@ApplicationScoped
public class ConversationWrites {

    /** Serialises everything that touches one wamid's status (webhook statuses, outbound sends) per transaction. */
    public static final String LOCK_WAMID = "SELECT pg_advisory_xact_lock(hashtext($1))";

    private final String insertInbound = SqlFiles.load("conversation/inbound-message.sql");
    private final String insertInboundBatch = SqlFiles.load("conversation/inbound-batch.sql");
    private final String updateStatus = SqlFiles.load("conversation/status-update.sql");
    private final String insertPending = SqlFiles.load("conversation/pending-status.sql");
    private final String applyPending = SqlFiles.load("conversation/apply-pending.sql");
    private final String purgePending = SqlFiles.load("conversation/purge-pending-statuses.sql");
    private final String purgeMessageTombstones = SqlFiles.load("conversation/purge-message-tombstones.sql");
    private final String purgeCustomerTombstones = SqlFiles.load("conversation/purge-customer-tombstones.sql");

    /** One inbound message; true when stored, false when its wamid was stored before. */
    public Uni<Boolean> insertInbound(SqlClient client, InboundRow row) {
        Tuple params = Tuple.tuple()
                .addValue(row.waId())
                .addValue(row.displayName())
                .addValue(row.phoneNumber())
                .addValue(row.phoneNumberId())
                .addValue(utc(row.timestamp()))
                .addValue(row.wamid())
                .addValue(row.content())
                .addValue(row.messageType())
                .addValue(row.metadataJson());
        return client.preparedQuery(insertInbound).execute(params).map(rows -> rows.iterator().hasNext());
    }

    /**
     * Several inbound messages (distinct wamids, sorted by phone number then wamid) in one statement; returns
     * the wamids stored now, the others were stored before.
     */
    public Uni<Set<String>> insertInboundBatch(SqlClient client, List<InboundRow> rows) {
        int n = rows.size();
        String[] waIds = new String[n], names = new String[n], phones = new String[n], numberIds = new String[n],
                wamids = new String[n], contents = new String[n], types = new String[n], metadata = new String[n];
        OffsetDateTime[] timestamps = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            InboundRow row = rows.get(i);
            waIds[i] = row.waId();
            names[i] = row.displayName();
            phones[i] = row.phoneNumber();
            numberIds[i] = row.phoneNumberId();
            timestamps[i] = utc(row.timestamp());
            wamids[i] = row.wamid();
            contents[i] = row.content();
            types[i] = row.messageType();
            metadata[i] = row.metadataJson();
        }
        Tuple params = Tuple.tuple().addArrayOfString(waIds).addArrayOfString(names).addArrayOfString(phones)
                .addArrayOfString(numberIds).addArrayOfOffsetDateTime(timestamps).addArrayOfString(wamids)
                .addArrayOfString(contents).addArrayOfString(types).addArrayOfString(metadata);
        return client.preparedQuery(insertInboundBatch).execute(params).map(result -> {
            Set<String> stored = new HashSet<>(result.size() * 2);
            for (Row row : result) {
                stored.add(row.getString(0));
            }
            return stored;
        });
    }

    /** Applies one status under the wamid's lock; keeps it pending when the message is not stored (yet). */
    public Uni<StatusOutcome> applyStatus(SqlClient tx, String wamid, String status, short rank, Instant at,
            String errorsJson, String rawJson) {
        return applyStatus(tx, wamid, status, rank, at, errorsJson, rawJson, null);
    }

    /**
     * The same, for a signer that owns only some numbers: a message stored for another number than
     * {@code phoneNumberId} is left as it is ({@link StatusOutcome#FOREIGN}); null = any number.
     */
    public Uni<StatusOutcome> applyStatus(SqlClient tx, String wamid, String status, short rank, Instant at,
            String errorsJson, String rawJson, String phoneNumberId) {
        OffsetDateTime timestamp = utc(at);
        return tx.preparedQuery(LOCK_WAMID).execute(Tuple.of(wamid))
                .chain(() -> tx.preparedQuery(updateStatus).execute(Tuple.tuple().addValue(wamid).addValue(status)
                        .addValue(rank).addValue(timestamp).addValue(errorsJson).addValue(phoneNumberId)))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getBoolean("updated")) {
                        return Uni.createFrom().item(StatusOutcome.APPLIED);
                    }
                    if (row.getBoolean("other_number")) {
                        return Uni.createFrom().item(StatusOutcome.FOREIGN);
                    }
                    if (row.getBoolean("found")) {
                        return Uni.createFrom().item(StatusOutcome.STALE);
                    }
                    return tx.preparedQuery(insertPending).execute(Tuple.tuple().addValue(wamid).addValue(status)
                            .addValue(rank).addValue(timestamp).addValue(errorsJson).addValue(rawJson))
                            .map(kept -> kept.iterator().next().getBoolean("deleted") ? StatusOutcome.DELETED
                                    : StatusOutcome.PENDING);
                });
    }

    /**
     * Applies the statuses kept for a message that was just stored (call in the storing transaction, e.g.
     * after an outbound send). Takes the wamid's lock, so a status webhook racing the send is never lost.
     */
    public Uni<Void> applyPendingStatuses(SqlClient tx, String wamid) {
        return tx.preparedQuery(LOCK_WAMID).execute(Tuple.of(wamid))
                .chain(() -> tx.preparedQuery(applyPending).execute(Tuple.of(wamid)))
                .replaceWithVoid();
    }

    /** Drops up to {@code limit} pending statuses received before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purgePendingStatuses(SqlClient client, OffsetDateTime cutoff, int limit) {
        return purge(client, purgePending, cutoff, limit);
    }

    /** Drops up to {@code limit} tombstones of messages deleted before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purgeMessageTombstones(SqlClient client, OffsetDateTime cutoff, int limit) {
        return purge(client, purgeMessageTombstones, cutoff, limit);
    }

    /** Clears up to {@code limit} customer tombstones set before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purgeCustomerTombstones(SqlClient client, OffsetDateTime cutoff, int limit) {
        return purge(client, purgeCustomerTombstones, cutoff, limit);
    }

    private static Uni<Integer> purge(SqlClient client, String sql, OffsetDateTime cutoff, int limit) {
        return client.preparedQuery(sql).execute(Tuple.of(cutoff, limit)).map(rows -> rows.rowCount());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * Runs {@code work} again (a new subscription: a new statement or transaction) when PostgreSQL aborted it
     * for a deadlock or a serialization failure, up to three attempts; every other failure passes through.
     */
    public static <T> Uni<T> retryingConflicts(Uni<T> work) {
        return work.onFailure(ConversationWrites::isConflict).retry().atMost(2);
    }

    /**
     * A data error PostgreSQL reported for this item itself ({@link DataErrors}): refused on every retry, so it is
     * kept as a dead letter instead of failing its delivery.
     */
    public static boolean isPermanent(Throwable failure) {
        return failure instanceof PgException pg && DataErrors.isDataError(pg.getSqlState());
    }

    private static boolean isConflict(Throwable failure) {
        return failure instanceof PgException pg
                && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()));
    }
}
