package io.wagateway.webhook;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;

/** The one writer of {@code whatsapp_dead_letters}: items of a delivery PostgreSQL refused for their data. */
@ApplicationScoped
public class DeadLetterWriter {

    private final String insertDeadLetter = SqlFiles.load("webhook/dead-letter.sql");

    /** Keeps an item PostgreSQL refused ({@code dead-letter.sql}). */
    public Uni<Void> insert(SqlClient client, DeadLetter letter) {
        return client.preparedQuery(insertDeadLetter).execute(Tuple.tuple().addValue(letter.phoneNumberId())
                .addValue(letter.kind()).addValue(letter.wamid()).addValue(letter.sqlState()).addValue(letter.error())
                .addValue(letter.payload())).replaceWithVoid();
    }
}
