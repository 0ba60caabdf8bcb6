package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.conversation.ConversationWrites;

/** Dead letters against the real database, and which failures make one. */
@QuarkusTest
class DeadLetterWriterTest {

    @Inject
    DeadLetterWriter deadLetters;

    @Inject
    Pool pool;

    private static String wamid() {
        return "wamid.DEAD" + UUID.randomUUID();
    }

    @Test
    @RunOnVertxContext
    void aDeadLetterKeepsWhatPostgresRefusedAndOnlyDataErrorsArePermanent(UniAsserter asserter) {
        String id = wamid();
        // A jsonb cast PostgreSQL refuses: 22P02, a data error.
        asserter.assertFailedWith(() -> pool.preparedQuery("select $1::text::jsonb").execute(Tuple.of("{not json")),
                failure -> {
                    assertThat(ConversationWrites.isPermanent(failure)).isTrue();
                    DeadLetter letter = DeadLetter.of(DeadLetter.STATUS, "1".repeat(300), id,
                            (io.vertx.pgclient.PgException) failure, "{\"id\":\"" + id + "\"}");
                    assertThat(letter.phoneNumberId()).hasSize(256);
                    assertThat(letter.sqlState()).isEqualTo("22P02");
                });
        asserter.execute(() -> pool.preparedQuery("select $1::text::jsonb").execute(Tuple.of("{not json"))
                .onFailure().recoverWithUni(failure -> deadLetters.insert(pool, DeadLetter.of(DeadLetter.STATUS,
                        "118234567890123", id, (io.vertx.pgclient.PgException) failure, "{\"id\":\"" + id + "\"}"))
                        .replaceWith(() -> null)));
        asserter.assertEquals(() -> pool.preparedQuery("select kind || ' ' || sqlstate || ' ' || (payload::jsonb ->> 'id') "
                + "from whatsapp_dead_letters where wamid = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getString(0)), "status 22P02 " + id);
        // A lost connection, a cancelled query, a deadlock: outages, never dead letters.
        asserter.assertFailedWith(() -> pool.preparedQuery("select pg_cancel_backend(pg_backend_pid()), pg_sleep(1)")
                .execute(), failure -> assertThat(ConversationWrites.isPermanent(failure)).isFalse());
        asserter.execute(() -> assertThat(ConversationWrites.isPermanent(new io.vertx.core.VertxException("closed")))
                .isFalse());
    }
}
