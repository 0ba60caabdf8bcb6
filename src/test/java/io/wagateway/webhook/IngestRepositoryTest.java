package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.webhook.IngestRepository.InboundRow;
import io.wagateway.webhook.IngestRepository.StatusOutcome;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ingest statements one by one, on the reactive client against the real database. */
@QuarkusTest
class IngestRepositoryTest {

    @Inject
    IngestRepository repository;

    @Inject
    Pool pool;

    private static InboundRow row(String phone, String wamid, long ts, String name) {
        return new InboundRow(phone, name, phone, "118234567890123", Instant.ofEpochSecond(ts), wamid, "hello",
                "text", "{\"message\":{\"id\":\"" + wamid + "\"}}");
    }

    private static String wamid() {
        return "wamid.REPO" + UUID.randomUUID();
    }

    @Test
    @RunOnVertxContext
    void insertInboundIsIdempotentAndWritesNothingForAKnownWamid(UniAsserter asserter) {
        String phone = "31" + System.nanoTime() % 1_000_000_000L;
        String id = wamid();
        asserter.assertEquals(() -> repository.insertInbound(pool, row(phone, id, 1768466400, "Ann")), true);
        asserter.assertEquals(() -> repository.insertInbound(pool, row(phone, id, 1768466400, "Changed")), false);
        // The duplicate did not touch the profile either.
        asserter.assertEquals(() -> pool.preparedQuery("select display_name from customer_profiles where wa_id = $1")
                .execute(Tuple.of(phone)).map(rows -> rows.iterator().next().getString(0)), "Ann");
    }

    @Test
    @RunOnVertxContext
    void statusMovesForwardOnlyAndPendingIsAppliedWhenTheMessageIsStored(UniAsserter asserter) {
        String phone = "32" + System.nanoTime() % 1_000_000_000L;
        String id = wamid();
        Instant at = Instant.ofEpochSecond(1768467400);
        // Before the message exists: kept, twice the same is one row.
        asserter.assertEquals(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "delivered", (short) 3, at,
                null, "{}")), StatusOutcome.PENDING);
        asserter.assertEquals(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "delivered", (short) 3, at,
                null, "{}")), StatusOutcome.PENDING);
        asserter.assertEquals(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "sent", (short) 2, at,
                null, "{}")), StatusOutcome.PENDING);
        // The send stores the message, then applies what was kept: the highest rank wins and the rows go.
        asserter.execute(() -> pool.withTransaction(tx -> tx.preparedQuery("""
                with s as (insert into whatsapp_sessions (phone_number, updated_at) values ($1, now()) returning id)
                insert into whatsapp_messages (session_id, message_id, direction, content, status, status_rank)
                select s.id, $2, 'OUTBOUND', 'out', 'accepted', 1 from s""").execute(Tuple.of(phone, id))
                .chain(() -> repository.applyPendingStatuses(tx, id))));
        asserter.assertEquals(() -> pool.preparedQuery("select status from whatsapp_messages where message_id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getString(0)), "delivered");
        asserter.assertEquals(() -> pool.preparedQuery("select count(*) from whatsapp_pending_statuses where message_id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getLong(0)), 0L);
        asserter.assertEquals(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "sent", (short) 2, at,
                null, "{}")), StatusOutcome.STALE);
        asserter.assertEquals(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "failed", (short) 10, at,
                "[{\"code\":131026}]", "{}")), StatusOutcome.APPLIED);
        asserter.assertEquals(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "read", (short) 4, at,
                null, "{}")), StatusOutcome.STALE);
        asserter.assertEquals(() -> pool.preparedQuery("select status || ' ' || status_errors::text from whatsapp_messages where message_id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getString(0)), "failed [{\"code\": 131026}]");
    }
}
