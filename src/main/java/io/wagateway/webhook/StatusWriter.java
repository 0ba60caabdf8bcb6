package io.wagateway.webhook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.StatusOutcome;
import io.wagateway.conversation.StatusRow;
import io.wagateway.webhook.GroupCommit.Answer;
import io.wagateway.webhook.InboundRows.StatusWrite;
import io.wagateway.webhook.Written.StatusResult;

/**
 * Writes a group commit's batch of lone statuses through {@link ConversationWrites#applyStatuses}: one statement
 * for the group, whose locks and moves are those of a delivery that carries them all. When PostgreSQL refuses a
 * group for another reason than an outage, its statuses are written again one by one, so one poisoned status never
 * costs the others their 200; a status refused for its data is kept as a dead letter and acknowledged. An outage
 * fails every status it touched, so that Meta retries.
 */
@ApplicationScoped
public class StatusWriter implements GroupCommit.Writer<StatusWrite, Written> {

    private static final Logger LOG = Logger.getLogger(StatusWriter.class);

    private final Pool pool;
    private final ConversationWrites writes;
    private final DeadLetterWriter deadLetters;

    public StatusWriter(Pool pool, ConversationWrites writes, DeadLetterWriter deadLetters) {
        this.pool = pool;
        this.writes = writes;
        this.deadLetters = deadLetters;
    }

    @Override
    public Uni<List<Answer<Written>>> write(List<StatusWrite> statuses) {
        if (statuses.size() == 1) {
            return writeOne(statuses.get(0)).map(List::of);
        }
        @SuppressWarnings("unchecked")
        Answer<Written>[] answers = new Answer[statuses.size()];
        return ConversationWrites.retryingConflicts(writes.applyStatuses(pool, rows(statuses)))
                .map(outcomes -> {
                    for (int i = 0; i < answers.length; i++) {
                        answers[i] = Answer.of(written(statuses.get(i), outcomes.get(i)));
                    }
                    return Arrays.asList(answers);
                })
                .onFailure(PgException.class).recoverWithUni(failure -> {
                    PgException refusal = (PgException) failure;
                    LOG.warnf("A group of %d statuses was refused (PostgreSQL %s: %s); writing them one by one",
                            statuses.size(), refusal.getSqlState(), LogValue.of(refusal.getErrorMessage()));
                    Uni<Void> each = Uni.createFrom().voidItem();
                    for (int i = 0; i < answers.length; i++) {
                        int at = i;
                        each = each.chain(() -> writeOne(statuses.get(at)).invoke(answer -> answers[at] = answer)
                                .replaceWithVoid());
                    }
                    return each.map(ignored -> Arrays.asList(answers));
                })
                .onFailure().recoverWithItem(failure -> {
                    Arrays.fill(answers, Answer.failed(failure));
                    return Arrays.asList(answers);
                });
    }

    /** The rows of {@link ConversationWrites#applyStatuses} for these statuses, in the same order. */
    static List<StatusRow> rows(List<StatusWrite> statuses) {
        List<StatusRow> rows = new ArrayList<>(statuses.size());
        for (StatusWrite status : statuses) {
            rows.add(new StatusRow(status.wamid(), status.status().wireName(), status.status().rank(),
                    status.timestamp(), status.errorsJson(), status.rawJson(), status.scope()));
        }
        return rows;
    }

    /** One status alone; never fails: an outage is the status's answer. */
    private Uni<Answer<Written>> writeOne(StatusWrite status) {
        return ConversationWrites.retryingConflicts(writes.applyStatuses(pool, rows(List.of(status))))
                .map(outcomes -> Answer.of(written(status, outcomes.get(0))))
                // a data error for this status is refused on every retry: kept as a dead letter, acknowledged
                .onFailure(ConversationWrites::isPermanent).recoverWithUni(failure -> deadLetters
                        .keep(pool, DeadLetter.of(DeadLetter.STATUS, status.phoneNumberId(), status.wamid(),
                                (PgException) failure, status.rawJson()))
                        .map(kept -> Answer.of(kept ? Written.DEAD_LETTER : Written.NOTHING)))
                .onFailure().recoverWithItem(Answer::failed);
    }

    private static Written written(StatusWrite status, StatusOutcome outcome) {
        return new Written(List.of(), 0, List.of(new StatusResult(status.status().wireName(), outcome)), 0);
    }
}
