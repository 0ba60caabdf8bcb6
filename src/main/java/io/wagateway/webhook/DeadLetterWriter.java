package io.wagateway.webhook;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.wagateway.common.SqlFiles;
import io.wagateway.conversation.ConversationWrites;

/** The one writer of {@code whatsapp_dead_letters}: items of a delivery PostgreSQL refused for their data. */
@ApplicationScoped
public class DeadLetterWriter {

    private final String insertDeadLetter = SqlFiles.load("webhook/dead-letter.sql");
    private final String purgeDeadLetters = SqlFiles.load("webhook/purge-dead-letters.sql");

    /** Keeps an item PostgreSQL refused ({@code dead-letter.sql}). */
    public Uni<Void> insert(SqlClient client, DeadLetter letter) {
        return client.preparedQuery(insertDeadLetter).execute(Tuple.tuple().addValue(letter.phoneNumberId())
                .addValue(letter.kind()).addValue(letter.wamid()).addValue(letter.sqlState()).addValue(letter.error())
                .addValue(letter.payload())).replaceWithVoid();
    }

    /**
     * Keeps a refused item on its own (the lone path): true when kept (and logged), false when even the dead
     * letter is refused with a data error (logged; a retry could not store either). An outage fails.
     */
    public Uni<Boolean> keep(SqlClient client, DeadLetter letter) {
        return insert(client, letter).map(ignored -> {
            letter.logKept();
            return true;
        }).onFailure(ConversationWrites::isPermanent).recoverWithItem(failure -> {
            letter.logRefused((PgException) failure);
            return false;
        });
    }

    /** Drops up to {@code limit} dead letters received before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purge(SqlClient client, OffsetDateTime cutoff, int limit) {
        return client.preparedQuery(purgeDeadLetters).execute(Tuple.of(cutoff, limit)).map(rows -> rows.rowCount());
    }
}
