package io.wagateway.webhook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.InboundRow;
import io.wagateway.webhook.GroupCommit.Answer;

/**
 * Writes a group commit's batch of lone inbound messages through {@link ConversationWrites}: one row per wamid
 * (concurrent redeliveries of one message share its row; the first is stored, the others duplicates), one
 * statement for the group ({@code inbound-batch.sql}) or for a single message ({@code inbound-message.sql}).
 * When PostgreSQL refuses a group for another reason than an outage, its messages are written again one by one,
 * so one poisoned message never costs the others their 200; a message refused for its data is kept as a dead
 * letter and acknowledged. An outage fails every message it touched, so that Meta retries.
 */
@ApplicationScoped
public class InboundWriter implements GroupCommit.Writer<InboundRow, InboundWriter.Outcome> {

    private static final Logger LOG = Logger.getLogger(InboundWriter.class);

    /** What became of one message. */
    public enum Outcome {
        STORED,
        /** Its wamid was stored before (or earlier in the same batch). */
        DUPLICATE,
        /** Refused by PostgreSQL for its data; kept in {@code whatsapp_dead_letters}. */
        DEAD_LETTER,
        /** Refused for its data, and its dead letter too; acknowledged, not stored (logged). */
        DROPPED
    }

    private final Pool pool;
    private final ConversationWrites writes;
    private final DeadLetterWriter deadLetters;

    public InboundWriter(Pool pool, ConversationWrites writes, DeadLetterWriter deadLetters) {
        this.pool = pool;
        this.writes = writes;
        this.deadLetters = deadLetters;
    }

    @Override
    public Uni<List<Answer<Outcome>>> write(List<InboundRow> rows) {
        // positions of each wamid, in the order the wamids first appear
        Map<String, List<Integer>> byWamid = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            byWamid.computeIfAbsent(rows.get(i).wamid(), k -> new ArrayList<>(1)).add(i);
        }
        @SuppressWarnings("unchecked")
        Answer<Outcome>[] answers = new Answer[rows.size()];
        if (byWamid.size() == 1) {
            List<Integer> same = byWamid.values().iterator().next();
            return writeOne(rows.get(same.get(0))).map(answer -> answered(answers, same, answer));
        }
        List<InboundRow> distinct = new ArrayList<>(byWamid.size());
        byWamid.values().forEach(same -> distinct.add(rows.get(same.get(0))));
        distinct.sort(InboundRow.LOCK_ORDER);
        return ConversationWrites.retryingConflicts(writes.insertInboundBatch(pool, distinct))
                .map(stored -> {
                    byWamid.forEach((wamid, same) -> answer(answers, same,
                            Answer.of(stored.contains(wamid) ? Outcome.STORED : Outcome.DUPLICATE)));
                    return Arrays.asList(answers);
                })
                .onFailure(PgException.class).recoverWithUni(failure -> {
                    PgException refusal = (PgException) failure;
                    LOG.warnf("A group of %d inbound messages was refused (PostgreSQL %s: %s); writing them one by "
                            + "one", distinct.size(), refusal.getSqlState(), LogValue.of(refusal.getErrorMessage()));
                    Uni<Void> each = Uni.createFrom().voidItem();
                    for (List<Integer> same : byWamid.values()) {
                        each = each.chain(() -> writeOne(rows.get(same.get(0))).invoke(a -> answer(answers, same, a))
                                .replaceWithVoid());
                    }
                    return each.map(ignored -> Arrays.asList(answers));
                })
                .onFailure().recoverWithItem(failure -> {
                    Arrays.fill(answers, Answer.failed(failure));
                    return Arrays.asList(answers);
                });
    }

    /** One message alone; never fails: an outage is the message's answer. */
    private Uni<Answer<Outcome>> writeOne(InboundRow row) {
        return ConversationWrites.retryingConflicts(writes.insertInbound(pool, row))
                .map(stored -> Answer.of(stored ? Outcome.STORED : Outcome.DUPLICATE))
                // a data error for this row is refused on every retry: kept as a dead letter, acknowledged
                .onFailure(ConversationWrites::isPermanent).recoverWithUni(failure -> deadLetters
                        .keep(pool, DeadLetter.message(row, (PgException) failure))
                        .map(kept -> Answer.of(kept ? Outcome.DEAD_LETTER : Outcome.DROPPED)))
                .onFailure().recoverWithItem(Answer::failed);
    }

    private static List<Answer<Outcome>> answered(Answer<Outcome>[] answers, List<Integer> same, Answer<Outcome> answer) {
        answer(answers, same, answer);
        return Arrays.asList(answers);
    }

    /**
     * The first of the same wamid gets the answer; the others are its duplicates (or copies of its dead letter,
     * kept once), or share its failure.
     */
    private static void answer(Answer<Outcome>[] answers, List<Integer> same, Answer<Outcome> answer) {
        answers[same.get(0)] = answer;
        Answer<Outcome> others = answer.failure() != null ? answer
                : Answer.of(answer.value() == Outcome.STORED || answer.value() == Outcome.DUPLICATE ? Outcome.DUPLICATE
                        : Outcome.DROPPED);
        for (int i = 1; i < same.size(); i++) {
            answers[same.get(i)] = others;
        }
    }
}
