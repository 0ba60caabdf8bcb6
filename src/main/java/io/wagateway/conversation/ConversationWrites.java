package io.wagateway.conversation;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.wagateway.common.DataErrors;
import io.wagateway.common.SqlFiles;
import io.wagateway.events.EventSignal;

/**
 * The one writer of the conversation tables (customers, sessions, messages, pending statuses, tombstones): the
 * webhook ingest, the send path and the admin API write only through it, on the reactive PostgreSQL client. It owns
 * the lock order (customer profile, then session, then the per-wamid advisory lock), the per-wamid lock that
 * serialises a message's store with its statuses, and the deadlock retry. Each step is one statement in
 * {@code db/conversation/*.sql} ({@code INSERT ... ON CONFLICT}, monotonic {@code UPDATE}s, {@code unnest} arrays);
 * a lone inbound message is stored in a single round trip (the benchmark's pgbench script is generated from the
 * same file). Hibernate only reads these tables (the Panache repositories of the admin API).
 */
@ApplicationScoped
public class ConversationWrites {

    /** Unique constraint of whatsapp_messages.message_id (V1): a retried send store that finds its row committed. */
    public static final String WAMID_KEY = "whatsapp_messages_message_id_key";

    /** Serialises everything that touches one wamid's status (webhook statuses, outbound sends) per transaction. */
    public static final String LOCK_WAMID = "SELECT pg_advisory_xact_lock(hashtext($1))";
    /**
     * The locks of several wamids, in the order of their keys: the order a status group takes them in
     * (gateway_apply_statuses, V19), so that a transaction of several messages and a status group never wait for
     * each other in a cycle. Each message's own lock is then taken again, which a transaction already holding it
     * gets at once.
     */
    static final String LOCK_WAMIDS = "SELECT pg_advisory_xact_lock(l.key) FROM (SELECT DISTINCT hashtext(w) AS key "
            + "FROM unnest($1::text[]) AS w ORDER BY 1) AS l";

    /** The per-BSUID lock of gateway_customer_identity (V12): resolutions, links and merges of one BSUID. */
    static final String LOCK_IDENTITY = "SELECT pg_advisory_xact_lock(hashtext('gateway-customer-identity:' || $1))";

    private final String insertInbound = SqlFiles.load("conversation/inbound-message.sql");
    private final String insertInboundBatch = SqlFiles.load("conversation/inbound-batch.sql");
    private final String applyStatuses = SqlFiles.load("conversation/status-batch.sql");
    private final String applyPending = SqlFiles.load("conversation/apply-pending.sql");
    private final String purgePending = SqlFiles.load("conversation/purge-pending-statuses.sql");
    private final String purgeMessageTombstones = SqlFiles.load("conversation/purge-message-tombstones.sql");
    private final String purgeCustomerTombstones = SqlFiles.load("conversation/purge-customer-tombstones.sql");
    private final String purgeErasedCustomers = SqlFiles.load("conversation/purge-erased-customers.sql");
    private final String purgeErasedMessages = SqlFiles.load("conversation/purge-erased-messages.sql");
    private final String purgeExpiredMessages = SqlFiles.load("conversation/purge-expired-messages.sql");
    private final String customerIdentity = SqlFiles.load("conversation/customer-identity.sql");
    private final String customerIdentities = SqlFiles.load("conversation/customer-identities.sql");
    private final String userIdChange = SqlFiles.load("conversation/user-id-change.sql");
    private final String outboundIdentity = SqlFiles.load("conversation/outbound-identity.sql");
    private final String applyEdit = SqlFiles.load("conversation/edit-apply.sql");
    private final String purgePendingEdits = SqlFiles.load("conversation/purge-pending-edits.sql");
    private final String pendingEdits = SqlFiles.load("conversation/edit-pending.sql");
    private final String insertCall = SqlFiles.load("conversation/call-event.sql");

    /**
     * One inbound message; true when stored, false when its wamid was stored before. A sender with a BSUID is
     * resolved first ({@code customer-identity.sql}: found by user_id, else by phone; linked or merged), in the same
     * transaction (one of its own when {@code client} is the pool).
     */
    public Uni<Boolean> insertInbound(SqlClient client, InboundRow row) {
        if (!row.hasUserId()) {
            return insertResolved(client, row);
        }
        if (client instanceof Pool pool) {
            return pool.withTransaction(tx -> resolveAndInsert(tx, row));
        }
        return resolveAndInsert(client, row);
    }

    private Uni<Boolean> resolveAndInsert(SqlClient tx, InboundRow row) {
        Tuple identity = Tuple.tuple().addValue(row.phone()).addValue(row.userId()).addValue(row.parentUserId())
                .addValue(row.username()).addValue(row.countryCode()).addValue(row.phoneNumberId());
        return tx.preparedQuery(customerIdentity).execute(identity)
                .map(rows -> rows.iterator().next().getString("key"))
                .chain(key -> insertResolved(tx, row.withKey(key))
                        .call(stored -> row.newUserId() == null ? Uni.createFrom().voidItem()
                                : changeUserId(tx, row.userId(), row.newUserId(), key)));
    }

    private Uni<Boolean> insertResolved(SqlClient client, InboundRow row) {
        Tuple params = Tuple.tuple()
                .addValue(row.waId())
                .addValue(row.displayName())
                .addValue(row.phoneNumber())
                .addValue(row.phoneNumberId())
                .addValue(utc(row.timestamp()))
                .addValue(row.wamid())
                .addValue(row.content())
                .addValue(row.messageType())
                .addValue(row.metadataJson())
                .addValue(row.userId())
                .addValue(row.parentUserId())
                .addValue(row.username())
                .addValue(row.countryCode());
        return client.preparedQuery(insertInbound).execute(params).map(rows -> rows.iterator().hasNext());
    }

    /**
     * One call event of the webhook field {@code calls} (a call's connect or terminate, or a status of a
     * business-initiated call), stored as a message of type {@code call} in the customer's session.
     *
     * @param phone the customer's phone; null when Meta withheld it (then {@code userId} names the customer)
     * @param userId the customer's BSUID, null when Meta sent none
     * @param key the event's unique key (its wamid column): a redelivery stores nothing
     * @param direction INBOUND for a user-initiated call, OUTBOUND for a business-initiated one
     */
    public record CallRow(String phone, String userId, String parentUserId, String username, String displayName,
            String phoneNumberId, Instant timestamp, String key, String content, String metadataJson,
            MessageDirection direction) {
    }

    /**
     * Stores a call event ({@code call-event.sql}) in its own transaction; true when stored, false when known. A
     * customer named by a BSUID is resolved first, as for messages ({@code customer-identity.sql}: found by user_id,
     * else by phone; linked or merged), so a call of a customer whose phone is withheld joins their timeline.
     */
    public Uni<Boolean> insertCall(CallRow row) {
        Uni<Boolean> stored;
        if (row.userId() == null) {
            stored = insertCall(pool, row, row.phone());
        } else {
            Tuple identity = Tuple.tuple().addValue(row.phone()).addValue(row.userId()).addValue(row.parentUserId())
                    .addValue(row.username()).addValue(null).addValue(row.phoneNumberId());
            stored = pool.withTransaction(tx -> tx.preparedQuery(customerIdentity).execute(identity)
                    .chain(rows -> insertCall(tx, row, rows.iterator().next().getString("key"))));
        }
        return retryingConflicts(stored).invoke(done -> {
            if (done) {
                events.committed();
            }
        });
    }

    private Uni<Boolean> insertCall(SqlClient client, CallRow row, String key) {
        Tuple params = Tuple.tuple().addValue(key).addValue(row.displayName()).addValue(key)
                .addValue(row.phoneNumberId()).addValue(utc(row.timestamp())).addValue(row.key())
                .addValue(row.content()).addValue(row.metadataJson()).addValue(row.direction().name())
                .addValue(row.userId()).addValue(row.parentUserId()).addValue(row.username());
        return client.preparedQuery(insertCall).execute(params).map(rows -> rows.iterator().hasNext());
    }

    /** What became of an edit or revoke: applied to its original, applied before, or kept until it is stored. */
    public enum EditOutcome {
        APPLIED,
        DUPLICATE,
        PENDING
    }

    /** Applies an edit or revoke to its original under the original's wamid lock, in {@code tx}. */
    public Uni<EditOutcome> applyEdit(SqlClient tx, EditRow edit, boolean keepRevokedContent) {
        Tuple params = Tuple.tuple().addValue(edit.wamid()).addValue(edit.originalWamid()).addValue(edit.kind())
                .addValue(edit.messageType()).addValue(edit.content()).addValue(edit.messageJson())
                .addValue(utc(edit.timestamp())).addValue(edit.phoneNumberId()).addValue(keepRevokedContent);
        return tx.preparedQuery(LOCK_WAMID).execute(Tuple.of(edit.originalWamid()))
                .chain(() -> tx.preparedQuery(applyEdit).execute(params))
                .map(rows -> EditOutcome.valueOf(rows.iterator().next().getString("outcome").toUpperCase()));
    }

    /**
     * Applies up to {@code limit} kept edits and revokes whose original is stored now, each in a transaction of
     * its own; how many were applied.
     */
    public Uni<Integer> applyPendingEdits(boolean keepRevokedContent, int limit) {
        return pool.preparedQuery(pendingEdits).execute(Tuple.of(limit)).chain(rows -> {
            List<EditRow> edits = new ArrayList<>();
            for (Row row : rows) {
                edits.add(new EditRow(row.getString("edit_id"), row.getString("original_message_id"),
                        row.getString("kind"), row.getString("message_type"), row.getString("content"),
                        row.getString("payload"), row.getOffsetDateTime("edited_at").toInstant(),
                        row.getString("phone_number_id")));
            }
            int[] applied = new int[1];
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (EditRow edit : edits) {
                chain = chain.chain(() -> retryingConflicts(pool.withTransaction(tx -> applyEdit(tx, edit,
                        keepRevokedContent))).invoke(outcome -> {
                            if (outcome == EditOutcome.APPLIED) {
                                applied[0]++;
                            }
                        }).replaceWithVoid());
            }
            return chain.map(ignored -> applied[0]);
        });
    }

    /**
     * Links a phone and a BSUID that a status names together (customer-identity.sql: the same link or merge as a
     * message carrying both), in {@code tx}; nothing is created when neither is known.
     */
    public Uni<Void> linkIdentity(SqlClient tx, String phone, String userId, String phoneNumberId) {
        Tuple identity = Tuple.tuple().addValue(phone).addValue(userId).addValue(null).addValue(null).addValue(null)
                .addValue(phoneNumberId);
        return tx.preparedQuery(customerIdentity).execute(identity).replaceWithVoid();
    }

    /** Records a change of BSUID on the customer holding {@code previous} (else the one of {@code waId}). */
    public Uni<Boolean> changeUserId(SqlClient client, String previous, String current, String waId) {
        return client.preparedQuery(userIdChange).execute(Tuple.of(previous, current, waId))
                .map(rows -> rows.iterator().next().getBoolean("changed"));
    }

    /**
     * Several inbound messages (distinct wamids, sorted by phone number then wamid) in one statement; returns
     * the wamids stored now, the others were stored before. When some senders carry a BSUID, their keys are
     * resolved first ({@code customer-identities.sql}, one round trip) in the same transaction, and the rows
     * written under them in lock order again.
     */
    public Uni<Set<String>> insertInboundBatch(SqlClient client, List<InboundRow> rows) {
        if (rows.stream().noneMatch(InboundRow::hasUserId)) {
            return insertBatchResolved(client, rows);
        }
        if (client instanceof Pool pool) {
            return pool.withTransaction(tx -> resolveAndInsertBatch(tx, rows));
        }
        return resolveAndInsertBatch(client, rows);
    }

    private Uni<Set<String>> resolveAndInsertBatch(SqlClient tx, List<InboundRow> rows) {
        // one resolution per BSUID: the row that carries a phone, when one does, so every row of the BSUID gets
        // the key that resolution leaves (a link or merge it makes is seen by all of them)
        Map<String, InboundRow> bySender = new LinkedHashMap<>();
        for (InboundRow row : rows) {
            if (row.hasUserId()) {
                bySender.merge(row.userId(), row, (kept, next) -> kept.phone() == null && next.phone() != null
                        ? next
                        : kept);
            }
        }
        List<InboundRow> senders = new ArrayList<>(bySender.values());
        int n = senders.size();
        String[] phones = new String[n], userIds = new String[n], parents = new String[n], usernames = new String[n],
                countries = new String[n], numberIds = new String[n];
        for (int i = 0; i < n; i++) {
            InboundRow row = senders.get(i);
            phones[i] = row.phone();
            userIds[i] = row.userId();
            parents[i] = row.parentUserId();
            usernames[i] = row.username();
            countries[i] = row.countryCode();
            numberIds[i] = row.phoneNumberId();
        }
        Tuple params = Tuple.tuple().addArrayOfString(phones).addArrayOfString(userIds).addArrayOfString(parents)
                .addArrayOfString(usernames).addArrayOfString(countries).addArrayOfString(numberIds);
        return tx.preparedQuery(customerIdentities).execute(params).chain(result -> {
            Map<String, String> keys = new HashMap<>(n * 2);
            for (Row key : result) {
                keys.put(userIds[(int) (key.getLong("ord") - 1)], key.getString("key"));
            }
            List<InboundRow> resolved = new ArrayList<>(rows.size());
            for (InboundRow row : rows) {
                resolved.add(row.hasUserId() ? row.withKey(keys.get(row.userId())) : row);
            }
            resolved.sort(InboundRow.LOCK_ORDER);
            Uni<Set<String>> stored = insertBatchResolved(tx, resolved);
            for (InboundRow row : resolved) {
                if (row.newUserId() != null) {
                    stored = stored.call(ignored -> changeUserId(tx, row.userId(), row.newUserId(), row.waId()));
                }
            }
            return stored;
        });
    }

    private Uni<Set<String>> insertBatchResolved(SqlClient client, List<InboundRow> rows) {
        int n = rows.size();
        String[] waIds = new String[n], names = new String[n], phones = new String[n], numberIds = new String[n],
                wamids = new String[n], contents = new String[n], types = new String[n], metadata = new String[n],
                userIds = new String[n], parents = new String[n], usernames = new String[n],
                countries = new String[n];
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
            userIds[i] = row.userId();
            parents[i] = row.parentUserId();
            usernames[i] = row.username();
            countries[i] = row.countryCode();
        }
        Tuple params = Tuple.tuple().addArrayOfString(waIds).addArrayOfString(names).addArrayOfString(phones)
                .addArrayOfString(numberIds).addArrayOfOffsetDateTime(timestamps).addArrayOfString(wamids)
                .addArrayOfString(contents).addArrayOfString(types).addArrayOfString(metadata)
                .addArrayOfString(userIds).addArrayOfString(parents).addArrayOfString(usernames)
                .addArrayOfString(countries);
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
        return applyStatuses(tx, List.of(new StatusRow(wamid, status, rank, at, errorsJson, rawJson, phoneNumberId)))
                .map(outcomes -> outcomes.get(0));
    }

    /**
     * Applies statuses in one statement ({@code status-batch.sql}, V19's gateway_apply_statuses): each wamid's lock
     * once, in one order, then every forward move with its event, and the statuses of messages not stored (yet)
     * kept. Several statuses of one wamid: the highest rank moves the message, the others are stale. One outcome per
     * row, in the order given. On the pool the statement is its own transaction.
     */
    public Uni<List<StatusOutcome>> applyStatuses(SqlClient client, List<StatusRow> rows) {
        int n = rows.size();
        String[] wamids = new String[n], statuses = new String[n], errors = new String[n], raws = new String[n],
                scopes = new String[n];
        Short[] ranks = new Short[n];
        OffsetDateTime[] timestamps = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            StatusRow row = rows.get(i);
            wamids[i] = row.wamid();
            statuses[i] = row.status();
            ranks[i] = row.rank();
            timestamps[i] = utc(row.at());
            errors[i] = row.errorsJson();
            raws[i] = row.rawJson();
            scopes[i] = row.scope();
        }
        Tuple params = Tuple.tuple().addArrayOfString(wamids).addArrayOfString(statuses).addArrayOfShort(ranks)
                .addArrayOfOffsetDateTime(timestamps).addArrayOfString(errors).addArrayOfString(raws)
                .addArrayOfString(scopes);
        return client.preparedQuery(applyStatuses).execute(params).map(result -> {
            StatusOutcome[] outcomes = new StatusOutcome[n];
            for (Row row : result) {
                outcomes[row.getInteger("item") - 1] = StatusOutcome.valueOf(row.getString("outcome"));
            }
            return List.of(outcomes);
        });
    }

    /** Drops up to {@code limit} pending statuses received before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purgePendingStatuses(SqlClient client, OffsetDateTime cutoff, int limit) {
        return purge(client, purgePending, cutoff, limit);
    }

    /** Drops up to {@code limit} edits and revokes kept before {@code cutoff} whose message never came; how many. */
    public Uni<Integer> purgePendingEdits(SqlClient client, OffsetDateTime cutoff, int limit) {
        return purge(client, purgePendingEdits, cutoff, limit);
    }

    /** Drops up to {@code limit} tombstones of messages deleted before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purgeMessageTombstones(SqlClient client, OffsetDateTime cutoff, int limit) {
        return purge(client, purgeMessageTombstones, cutoff, limit);
    }

    /** Clears up to {@code limit} customer tombstones set before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purgeCustomerTombstones(SqlClient client, OffsetDateTime cutoff, int limit) {
        return purge(client, purgeCustomerTombstones, cutoff, limit);
    }

    /** Drops up to {@code limit} tombstones of customers erased before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purgeErasedCustomers(SqlClient client, OffsetDateTime cutoff, int limit) {
        return purge(client, purgeErasedCustomers, cutoff, limit);
    }

    /** Drops up to {@code limit} hashed wamids of messages erased before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purgeErasedMessages(SqlClient client, OffsetDateTime cutoff, int limit) {
        return purge(client, purgeErasedMessages, cutoff, limit);
    }

    /** How many rows one batch of message retention dropped, per table. */
    public record ExpiredMessages(long messages, long pendingStatuses) {
    }

    /**
     * Drops up to {@code limit} messages older than their number's retention override or else
     * {@code defaultRetention} (null: only numbers with an override), oldest first, with their pending statuses.
     */
    public Uni<ExpiredMessages> purgeExpiredMessages(SqlClient client, Duration defaultRetention, int limit) {
        Long seconds = defaultRetention == null ? null : defaultRetention.toSeconds();
        return client.preparedQuery(purgeExpiredMessages).execute(Tuple.of(seconds, limit)).map(rows -> {
            Row row = rows.iterator().next();
            return new ExpiredMessages(row.getLong("messages"), row.getLong("pending_statuses"));
        });
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

    // Sends, read receipts and the admin API's changes: each one transaction of its own on the pool.

    private final String insertOutbound = SqlFiles.load("conversation/outbound-message.sql");
    private final String markRead = SqlFiles.load("conversation/message-read.sql");
    private final String updateSession = SqlFiles.load("conversation/session-update.sql");
    private final String markDeletion = SqlFiles.load("conversation/session-delete-mark.sql");
    private final String lockSession = SqlFiles.load("conversation/session-lock.sql");
    private final String deleteSession = SqlFiles.load("conversation/session-delete.sql");
    private final String lockCustomer = SqlFiles.load("conversation/customer-erase-lock.sql");
    private final String lockCustomerSessions = SqlFiles.load("conversation/customer-erase-sessions.sql");
    private final String eraseCustomer = SqlFiles.load("conversation/customer-erase.sql");

    private final Pool pool;
    private final EventSignal events;

    public ConversationWrites(Pool pool, EventSignal events) {
        this.pool = pool;
        this.events = events;
    }

    /** A message Meta accepted, to be stored OUTBOUND ({@code outbound-message.sql}). */
    /**
     * The session key of a send: a phone as given; a BSUID under its lock (customer-identity), then the key of the
     * customer holding it now, so a merge that committed since the send was planned is followed, and one still
     * running waits.
     */
    private Uni<String> outboundKey(SqlClient tx, OutboundRow row) {
        if (row.phoneNumber().chars().allMatch(Character::isDigit)) {
            return Uni.createFrom().item(row.phoneNumber());
        }
        return tx.preparedQuery(LOCK_IDENTITY).execute(Tuple.of(row.phoneNumber()))
                .chain(() -> tx.preparedQuery(outboundIdentity).execute(Tuple.of(row.phoneNumber())))
                .map(rows -> rows.iterator().next().getString("key"));
    }

    public record OutboundRow(String phoneNumber, String phoneNumberId, String wamid, String messageType,
            String content, String metadataJson, MessageStatus status, Instant at) {
    }

    /** A sent message as stored: its id, its session, and its status (a kept webhook status may have moved it). */
    public record StoredOutbound(UUID id, UUID sessionId, String status) {
    }

    /**
     * Stores a sent message under its wamid's lock, with its session, and applies the statuses a webhook kept for it
     * meanwhile. A wamid stored before fails with a unique violation of {@link #WAMID_KEY}.
     */
    public Uni<StoredOutbound> storeOutbound(OutboundRow row) {
        Tuple params = Tuple.tuple().addValue(row.phoneNumber()).addValue(row.phoneNumberId()).addValue(utc(row.at()))
                .addValue(row.wamid()).addValue(row.messageType()).addValue(row.content()).addValue(row.metadataJson())
                .addValue(row.status().wireName()).addValue(row.status().rank());
        return retryingConflicts(pool.withTransaction(tx -> tx.preparedQuery(LOCK_WAMID).execute(Tuple.of(row.wamid()))
                .chain(() -> outboundKey(tx, row))
                .chain(key -> tx.preparedQuery(insertOutbound).execute(key.equals(row.phoneNumber()) ? params
                        : Tuple.tuple().addValue(key).addValue(row.phoneNumberId()).addValue(utc(row.at()))
                                .addValue(row.wamid()).addValue(row.messageType()).addValue(row.content())
                                .addValue(row.metadataJson()).addValue(row.status().wireName())
                                .addValue(row.status().rank())))
                .chain(inserted -> tx.preparedQuery(applyPending).execute(Tuple.of(row.wamid())).map(moved -> {
                    Row stored = inserted.iterator().next();
                    return new StoredOutbound(stored.getUUID("id"), stored.getUUID("session_id"),
                            moved.iterator().hasNext() ? moved.iterator().next().getString("status")
                                    : row.status().wireName());
                }))))
                .invoke(events::committed);
    }

    /** Our read receipt for message {@code id}: status read, never backwards. True when the status moved. */
    public Uni<Boolean> markRead(UUID id, Instant at) {
        return pool.preparedQuery(markRead).execute(Tuple.tuple().addValue(id).addValue(MessageStatus.READ.wireName())
                .addValue(MessageStatus.READ.rank()).addValue(utc(at))).map(result -> result.rowCount() > 0)
                .invoke(events::committed);
    }

    /**
     * Sets a session's state (null keeps it) and, when {@code replaceContext}, its context data (JSON text, null
     * clears it); always moves updated_at to {@code at}. False when there is no such session.
     */
    public Uni<Boolean> updateSession(UUID id, SessionState state, boolean replaceContext, String contextJson,
            Instant at) {
        return pool.preparedQuery(updateSession).execute(Tuple.tuple().addValue(id)
                .addValue(state == null ? null : state.name()).addValue(replaceContext).addValue(contextJson)
                .addValue(utc(at))).map(result -> result.iterator().hasNext()).invoke(events::committed);
    }

    /**
     * Deletes a session with its messages and keeps tombstones (the wamids, and the deletion time on the customer's
     * profile), so that Meta's retries of the conversation are not stored again. Locks in the ingest's order: the
     * profile rows, then the session row; the wamids are read once the session is locked, so a message committed
     * meanwhile gets its tombstone too. False when there is no such session.
     */
    public Uni<Boolean> deleteSession(UUID id) {
        Tuple session = Tuple.of(id);
        return retryingConflicts(pool.withTransaction(tx -> tx.preparedQuery(markDeletion).execute(session)
                .chain(profiles -> profiles.rowCount() == 0 ? Uni.createFrom().item(false)
                        : tx.preparedQuery(lockSession).execute(session)
                                .chain(() -> tx.preparedQuery(deleteSession).execute(session))
                                .map(deleted -> deleted.rowCount() > 0))))
                .invoke(events::committed);
    }

    /** What an erasure removed: the customer and their sessions' ids. */
    public record Erased(UUID customerId, List<UUID> sessionIds) {
    }

    /**
     * Erases a customer in one transaction: their profile, sessions, messages, pending statuses and the event-log
     * entries of their sessions, keeping only hashed tombstones (so that Meta's retries of what was erased are not
     * stored again) and appending whatsapp.customer.erased. Locks in the ingest's order: the profile row, then the
     * session rows; the wamids are read once those are locked. Null when there is no such customer.
     */
    public Uni<Erased> eraseCustomer(UUID id) {
        Tuple customer = Tuple.of(id);
        return retryingConflicts(pool.withTransaction(tx -> tx.preparedQuery(lockCustomer).execute(customer)
                .chain(profile -> {
                    if (!profile.iterator().hasNext()) {
                        return Uni.createFrom().<Erased> nullItem();
                    }
                    Tuple keys = Tuple.of(id, profile.iterator().next().getString("wa_id"));
                    return tx.preparedQuery(lockCustomerSessions).execute(keys)
                            .chain(() -> tx.preparedQuery(eraseCustomer).execute(keys))
                            .map(rows -> {
                                List<UUID> sessions = new ArrayList<>();
                                for (Row row : rows) {
                                    UUID session = row.getUUID("session_id");
                                    if (session != null) {
                                        sessions.add(session);
                                    }
                                }
                                return new Erased(id, List.copyOf(sessions));
                            });
                })))
                .invoke(events::committed);
    }

    // Coexistence (V17): the WhatsApp Business app on the same number, and changes of phone.

    private final String coexistenceMessage = SqlFiles.load("conversation/coexistence-message.sql");
    private final String phoneChange = SqlFiles.load("conversation/phone-change.sql");
    private final String coexistenceMedia = SqlFiles.load("conversation/coexistence-media.sql");
    /** The message types whose file is downloaded (gateway_media, V18). */
    private static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "document", "sticker");

    /**
     * A message of the WhatsApp Business app: an echo ({@code event} whatsapp.message.sent) or an imported history
     * message ({@code event} null, {@code createdAt} its original time). {@code phone} null when withheld.
     */
    public record CoexistenceRow(String phone, String userId, String parentUserId, String username,
            String phoneNumberId, Instant at, String wamid, MessageDirection direction, String content,
            String messageType, String metadataJson, MessageStatus status, Instant createdAt, String event) {

        /** The key rows are written in (the customer's phone or BSUID, then the wamid): the lock order. */
        public String lockKey() {
            return (phone != null ? phone : userId) + " " + wamid;
        }
    }

    /**
     * Stores one coexistence message in {@code tx} under its wamid's lock and, when stored, applies the statuses a
     * webhook kept for its wamid meanwhile; true when stored now, false when known (or a tombstone's).
     */
    public Uni<Boolean> storeCoexistence(SqlClient tx, CoexistenceRow row) {
        Tuple params = Tuple.tuple().addValue(row.phone()).addValue(row.userId()).addValue(row.parentUserId())
                .addValue(row.username()).addValue(row.phoneNumberId()).addValue(utc(row.at())).addValue(row.wamid())
                .addValue(row.direction().name()).addValue(row.content()).addValue(row.messageType())
                .addValue(row.metadataJson()).addValue(row.status() == null ? null : row.status().wireName())
                .addValue(row.status() == null ? (short) 0 : row.status().rank()).addValue(utc(row.createdAt()))
                .addValue(row.event());
        return tx.preparedQuery(coexistenceMessage).execute(params)
                .map(rows -> Boolean.TRUE.equals(rows.iterator().next().getBoolean("stored")))
                .call(stored -> stored ? tx.preparedQuery(applyPending).execute(Tuple.of(row.wamid()))
                        : Uni.createFrom().voidItem())
                // a media message's download job commits with it, as for an inbound one
                .call(stored -> stored && MEDIA_TYPES.contains(row.messageType())
                        ? tx.preparedQuery(coexistenceMedia).execute(Tuple.of(row.wamid()))
                        : Uni.createFrom().voidItem());
    }

    /** Several coexistence messages in one transaction of their own, in lock order; how many were stored now. */
    public Uni<Integer> storeCoexistence(List<CoexistenceRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return retryingConflicts(pool.withTransaction(tx -> storeCoexistence(tx, rows))).invoke(stored -> {
            if (stored > 0) {
                events.committed();
            }
        });
    }

    /**
     * Several coexistence messages in {@code tx}, in lock order (their wamids' locks first, in the status groups'
     * order; then customer by customer); how many were stored now.
     */
    public Uni<Integer> storeCoexistence(SqlClient tx, List<CoexistenceRow> rows) {
        List<CoexistenceRow> sorted = new ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparing(CoexistenceRow::lockKey));
        if (sorted.size() < 2) {
            return storeCoexistence(tx, sorted, 0, 0);
        }
        String[] wamids = sorted.stream().map(CoexistenceRow::wamid).toArray(String[]::new);
        return tx.preparedQuery(LOCK_WAMIDS).execute(Tuple.tuple().addArrayOfString(wamids))
                .chain(() -> storeCoexistence(tx, sorted, 0, 0));
    }

    private Uni<Integer> storeCoexistence(SqlClient tx, List<CoexistenceRow> rows, int index, int stored) {
        if (index == rows.size()) {
            return Uni.createFrom().item(stored);
        }
        return storeCoexistence(tx, rows.get(index))
                .chain(now -> storeCoexistence(tx, rows, index + 1, now ? stored + 1 : stored));
    }

    /**
     * A customer's change of phone number (user_changed_number): the customer and session of {@code oldPhone} take
     * {@code newPhone}, merged into its customer and session when those exist; true when something changed.
     */
    public Uni<Boolean> changePhone(String oldPhone, String newPhone, String phoneNumberId) {
        return retryingConflicts(pool.withTransaction(tx -> tx.preparedQuery(phoneChange)
                .execute(Tuple.of(oldPhone, newPhone, phoneNumberId))
                .map(rows -> Boolean.TRUE.equals(rows.iterator().next().getBoolean("changed")))))
                .invoke(changed -> {
                    if (changed) {
                        events.committed();
                    }
                });
    }
}
