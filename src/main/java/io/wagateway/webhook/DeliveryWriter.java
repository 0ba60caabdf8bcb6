package io.wagateway.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.EditRow;
import io.wagateway.conversation.InboundRow;
import io.wagateway.conversation.MessagesConfig;
import io.wagateway.webhook.InboundRows.StatusWrite;
import io.wagateway.webhook.Written.StatusResult;
import io.wagateway.webhook.payload.UserIdChange;

/**
 * Writes a delivery of several items (messages, statuses) in one transaction through {@link ConversationWrites},
 * with the same statements as the lone paths: one per message, one for all its statuses. An item PostgreSQL refuses
 * for its data becomes a dead letter: the transaction runs again without it and with its dead letter (no extra
 * statement while nothing is refused; at most one more run per refused item, and one more to find a refused status).
 */
@ApplicationScoped
public class DeliveryWriter {

    private final Pool pool;
    private final MessagesConfig messages;
    private final ConversationWrites writes;
    private final DeadLetterWriter deadLetterWriter;

    public DeliveryWriter(Pool pool, ConversationWrites writes, DeadLetterWriter deadLetterWriter,
            MessagesConfig messages) {
        this.messages = messages;
        this.pool = pool;
        this.writes = writes;
        this.deadLetterWriter = deadLetterWriter;
    }

    /** Messages in lock order, then statuses in lock order, in one transaction. */
    public Uni<Written> write(List<InboundRow> rows, List<StatusWrite> statuses) {
        return write(rows, statuses, List.of(), List.of());
    }

    /** As {@link #write(List, List)}, then the BSUID changes of {@code user_id_update} webhooks. */
    public Uni<Written> write(List<InboundRow> rows, List<StatusWrite> statuses, List<UserIdChange> userIdChanges) {
        return write(rows, statuses, userIdChanges, List.of());
    }

    /** As above, then the edits and revokes (messages of type edit / revoke) applied to their originals. */
    public Uni<Written> write(List<InboundRow> rows, List<StatusWrite> statuses, List<UserIdChange> userIdChanges,
            List<EditRow> edits) {
        return write(rows, statuses, userIdChanges, edits, List.of(), false);
    }

    private Uni<Written> write(List<InboundRow> rows, List<StatusWrite> statuses, List<UserIdChange> userIdChanges,
            List<EditRow> edits, List<DeadLetter> deadLetters, boolean statusesOneByOne) {
        return ConversationWrites.retryingConflicts(pool.withTransaction(tx -> keep(tx, deadLetters)
                .chain(() -> writeAll(tx, rows, statuses, deadLetters.size(), statusesOneByOne))
                .call(() -> changeUserIds(tx, userIdChanges))
                .chain(written -> applyEdits(tx, edits).map(applied -> applied == 0 ? written
                        : new Written(written.storedTypes(), written.duplicates(), written.statuses(),
                                written.deadLetters(), applied)))))
                .invoke(() -> deadLetters.forEach(DeadLetter::logKept))
                .onFailure(StatusesRefused.class).recoverWithUni(
                        () -> write(rows, statuses, userIdChanges, edits, deadLetters, true))
                .onFailure(PoisonedItem.class).recoverWithUni(failure -> {
                    PoisonedItem poisoned = (PoisonedItem) failure;
                    List<DeadLetter> kept = new ArrayList<>(deadLetters);
                    if (poisoned.letter != null) {
                        kept.add(poisoned.letter);
                    } else {
                        kept.remove(poisoned.item);
                    }
                    return write(without(rows, poisoned.item), without(statuses, poisoned.item),
                            without(userIdChanges, poisoned.item), without(edits, poisoned.item), kept,
                            statusesOneByOne);
                });
    }

    private Uni<Void> keep(SqlClient tx, List<DeadLetter> deadLetters) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DeadLetter letter : deadLetters) {
            chain = chain.chain(() -> deadLetterWriter.insert(tx, letter)
                    .onFailure(ConversationWrites::isPermanent).transform(failure -> {
                        // Not even the dead letter is storable: dropped (logged), the rest still stored.
                        letter.logRefused((PgException) failure);
                        return new PoisonedItem(letter, null);
                    }));
        }
        return chain;
    }

    private static <T> List<T> without(List<T> items, Object item) {
        List<T> rest = new ArrayList<>(items.size());
        boolean removed = false;
        for (T candidate : items) {
            if (!removed && candidate == item) {
                removed = true;
            } else {
                rest.add(candidate);
            }
        }
        return removed ? rest : items;
    }

    private Uni<Integer> applyEdits(SqlClient tx, List<EditRow> edits) {
        int[] applied = new int[1];
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (EditRow edit : edits) {
            chain = chain.chain(() -> writes.applyEdit(tx, edit, messages.keepRevokedContent())
                    .onFailure(ConversationWrites::isPermanent)
                    .transform(failure -> new PoisonedItem(edit, DeadLetter.of(DeadLetter.MESSAGE,
                            edit.phoneNumberId(), edit.wamid(), (PgException) failure, edit.messageJson())))
                    .invoke(outcome -> {
                        if (outcome == ConversationWrites.EditOutcome.APPLIED) {
                            applied[0]++;
                        }
                    }).replaceWithVoid());
        }
        return chain.map(ignored -> applied[0]);
    }

    private Uni<Void> changeUserIds(SqlClient tx, List<UserIdChange> changes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UserIdChange change : changes) {
            chain = chain.chain(() -> writes.changeUserId(tx, change.previous(), change.current(), change.waId())
                    .onFailure(ConversationWrites::isPermanent)
                    .transform(failure -> new PoisonedItem(change, DeadLetter.of(DeadLetter.STATUS,
                            change.routing().phoneNumberId(), change.current(), (PgException) failure, null)))
                    .replaceWithVoid());
        }
        return chain;
    }

    private Uni<Written> writeAll(SqlClient tx, List<InboundRow> rows, List<StatusWrite> statuses, int deadLetters,
            boolean statusesOneByOne) {
        List<String> storedTypes = new ArrayList<>();
        int[] duplicates = new int[1];
        List<StatusResult> statusResults = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (InboundRow row : rows) {
            chain = chain.chain(() -> writes.insertInbound(tx, row)
                    .onFailure(ConversationWrites::isPermanent)
                    .transform(failure -> new PoisonedItem(row, DeadLetter.message(row, (PgException) failure)))
                    .invoke(stored -> {
                        if (stored) {
                            storedTypes.add(row.messageType());
                        } else {
                            duplicates[0]++;
                        }
                    }).replaceWithVoid());
        }
        // links first, in BSUID order: the locks of a merge (BSUID, customers, sessions, messages) come before the
        // message rows the statuses lock, as on the message path
        Map<String, StatusWrite> linking = new TreeMap<>();
        for (StatusWrite status : statuses) {
            if (status.links()) {
                linking.putIfAbsent(status.recipientUserId() + " " + status.recipientPhone(), status);
            }
        }
        for (StatusWrite status : linking.values()) {
            chain = chain.chain(() -> writes.linkIdentity(tx, status.recipientPhone(), status.recipientUserId(),
                    status.phoneNumberId())
                    .onFailure(ConversationWrites::isPermanent)
                    .transform(failure -> new PoisonedItem(status, DeadLetter.of(DeadLetter.STATUS,
                            status.phoneNumberId(), status.wamid(), (PgException) failure, status.rawJson()))));
        }
        // every status in one statement; refused for the data of one of them: the transaction runs again with one
        // statement per status, which finds it
        List<List<StatusWrite>> groups = statuses.isEmpty() ? List.of()
                : statusesOneByOne ? statuses.stream().map(List::of).toList() : List.of(statuses);
        for (List<StatusWrite> group : groups) {
            chain = chain.chain(() -> writes.applyStatuses(tx, StatusWriter.rows(group))
                    .onFailure(ConversationWrites::isPermanent).transform(failure -> {
                        if (group.size() > 1) {
                            return new StatusesRefused();
                        }
                        StatusWrite status = group.get(0);
                        return new PoisonedItem(status, DeadLetter.of(DeadLetter.STATUS, status.phoneNumberId(),
                                status.wamid(), (PgException) failure, status.rawJson()));
                    })
                    .invoke(outcomes -> {
                        for (int i = 0; i < group.size(); i++) {
                            statusResults.add(new StatusResult(group.get(i).status().wireName(), outcomes.get(i)));
                        }
                    }).replaceWithVoid());
        }
        return chain.map(ignored -> new Written(storedTypes, duplicates[0], statusResults, deadLetters));
    }

    /** The statement of a transaction's statuses refused for the data of one of them. */
    private static final class StatusesRefused extends RuntimeException {
        StatusesRefused() {
            super("a status was refused for its data", null, false, false);
        }
    }

    /** One item of a transaction refused for its data: the transaction runs again without it. */
    private static final class PoisonedItem extends RuntimeException {
        final Object item;
        final DeadLetter letter;

        PoisonedItem(Object item, DeadLetter letter) {
            super("an item was refused for its data", null, false, false);
            this.item = item;
            this.letter = letter;
        }
    }
}
