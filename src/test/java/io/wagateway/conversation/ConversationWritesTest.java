package io.wagateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The ingest statements one by one, on the reactive client against the real database. */
@QuarkusTest
class ConversationWritesTest {

    @Inject
    ConversationWrites repository;

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

    /** The rows as InboundWriter hands them over: sorted by phone number, then wamid. */
    private static List<InboundRow> group(InboundRow... rows) {
        List<InboundRow> sorted = new ArrayList<>(List.of(rows));
        sorted.sort(Comparator.comparing(InboundRow::phoneNumber).thenComparing(InboundRow::wamid));
        return sorted;
    }

    private Uni<Row> one(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(params))).map(rows -> {
            assertThat(rows.size()).as(sql).isEqualTo(1);
            return rows.iterator().next();
        });
    }

    private Uni<Long> count(String sql, Object... params) {
        return one(sql, params).map(row -> row.getLong(0));
    }

    @Test
    @RunOnVertxContext
    void aGroupWithOneSenderTwiceMakesOneProfileWithTheNameAndOneSessionAtTheLaterTime(UniAsserter asserter) {
        String phone = "33" + System.nanoTime() % 1_000_000_000L;
        String other = "34" + System.nanoTime() % 1_000_000_000L;
        String named = wamid();
        String unnamed = wamid();
        String otherWamid = wamid();
        // The later message carries no name, the earlier one does: the name is kept, the time is the later one.
        List<InboundRow> rows = group(row(phone, named, 1768466400, "Ann"), row(phone, unnamed, 1768466500, null),
                row(other, otherWamid, 1768466450, "Bob"));
        asserter.assertEquals(() -> repository.insertInboundBatch(pool, rows), Set.of(named, unnamed, otherWamid));
        asserter.assertEquals(() -> count("select count(*) from customer_profiles where wa_id = $1", phone), 1L);
        asserter.assertEquals(() -> one("select display_name from customer_profiles where wa_id = $1", phone)
                .map(row -> row.getString(0)), "Ann");
        asserter.assertEquals(() -> count("select count(*) from whatsapp_sessions where phone_number = $1", phone), 1L);
        asserter.assertThat(() -> one("""
                select s.last_message_at, s.last_inbound_at, s.phone_number_id, p.wa_id from whatsapp_sessions s
                join customer_profiles p on p.id = s.customer_profile_id where s.phone_number = $1""", phone),
                row -> {
                    assertThat(row.getOffsetDateTime("last_message_at").toInstant())
                            .isEqualTo(Instant.ofEpochSecond(1768466500));
                    assertThat(row.getOffsetDateTime("last_inbound_at").toInstant())
                            .isEqualTo(Instant.ofEpochSecond(1768466500));
                    assertThat(row.getString("phone_number_id")).isEqualTo("118234567890123");
                    assertThat(row.getString("wa_id")).isEqualTo(phone);
                });
        asserter.assertEquals(() -> count("""
                select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id
                where s.phone_number = $1 and m.direction = 'INBOUND' and m.content = 'hello'""", phone), 2L);
        asserter.assertEquals(() -> one("""
                select p.display_name from whatsapp_sessions s join customer_profiles p on p.id = s.customer_profile_id
                where s.phone_number = $1""", other).map(row -> row.getString(0)), "Bob");
    }

    @Test
    @RunOnVertxContext
    void aGroupWithAKnownWamidStoresTheOthersAndLeavesTheKnownOneAndItsSenderAlone(UniAsserter asserter) {
        String known = wamid();
        String knownPhone = "35" + System.nanoTime() % 1_000_000_000L;
        String phone = "36" + System.nanoTime() % 1_000_000_000L;
        String fresh = wamid();
        String fresh2 = wamid();
        asserter.assertEquals(() -> repository.insertInbound(pool, row(knownPhone, known, 1768466400, "Kept")), true);
        List<Object> before = new ArrayList<>();
        asserter.execute(() -> one("""
                select p.updated_at as profile_at, s.updated_at as session_at, s.last_message_at from whatsapp_sessions s
                join customer_profiles p on p.id = s.customer_profile_id where s.phone_number = $1""", knownPhone)
                .invoke(row -> before.addAll(List.of(row.getOffsetDateTime("profile_at"),
                        row.getOffsetDateTime("session_at"), row.getOffsetDateTime("last_message_at")))));
        // The redelivery is newer and renamed: had it been written, name, times and content would all change.
        InboundRow redelivered = new InboundRow(knownPhone, "Changed", knownPhone, "999", Instant.ofEpochSecond(1768469999),
                known, "rewritten", "image", "{\"message\":{\"rewritten\":true}}");
        asserter.assertEquals(() -> repository.insertInboundBatch(pool, group(redelivered,
                row(phone, fresh, 1768466401, "New"), row(phone, fresh2, 1768466402, "New"))), Set.of(fresh, fresh2));
        asserter.assertThat(() -> one("""
                select p.display_name, p.updated_at as profile_at, s.updated_at as session_at, s.last_message_at,
                       s.last_inbound_at, s.phone_number_id from whatsapp_sessions s
                join customer_profiles p on p.id = s.customer_profile_id where s.phone_number = $1""", knownPhone),
                row -> {
                    assertThat(row.getString("display_name")).isEqualTo("Kept");
                    assertThat(row.getOffsetDateTime("profile_at")).isEqualTo(before.get(0));
                    assertThat(row.getOffsetDateTime("session_at")).isEqualTo(before.get(1));
                    assertThat(row.getOffsetDateTime("last_message_at")).isEqualTo(before.get(2));
                    assertThat(row.getOffsetDateTime("last_inbound_at").toInstant())
                            .isEqualTo(Instant.ofEpochSecond(1768466400));
                    assertThat(row.getString("phone_number_id")).isEqualTo("118234567890123");
                });
        asserter.assertThat(() -> one("""
                select content, message_type, metadata::text as metadata, count(*) over () as n
                from whatsapp_messages where message_id = $1""", known), row -> {
            assertThat(row.getString("content")).isEqualTo("hello");
            assertThat(row.getString("message_type")).isEqualTo("text");
            assertThat(row.getString("metadata")).doesNotContain("rewritten");
            assertThat(row.getLong("n")).isEqualTo(1L);
        });
        // Everything known: nothing returned, nothing written.
        asserter.assertEquals(() -> repository.insertInboundBatch(pool, group(row(phone, fresh, 1768466401, "New"),
                row(phone, fresh2, 1768466402, "New"))), Set.of());
        asserter.assertEquals(() -> count("""
                select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id
                where s.phone_number = $1""", phone), 2L);
    }

    @Test
    @RunOnVertxContext
    void aGroupStoresMetadataAsJsonb(UniAsserter asserter) {
        String phone = "37" + System.nanoTime() % 1_000_000_000L;
        String first = wamid();
        String second = wamid();
        InboundRow withNested = new InboundRow(phone, "Meta", phone, "118234567890123", Instant.ofEpochSecond(1768466400),
                second, "photo", "image", "{\"contactName\":\"Meta\",\"message\":{\"id\":\"" + second
                        + "\",\"image\":{\"id\":\"42\",\"mime_type\":\"image/jpeg\"}}}");
        asserter.assertEquals(() -> repository.insertInboundBatch(pool,
                group(row(phone, first, 1768466399, "Meta"), withNested)), Set.of(first, second));
        asserter.assertThat(() -> one("""
                select jsonb_typeof(metadata) as kind, metadata -> 'message' -> 'image' ->> 'mime_type' as mime,
                       metadata ->> 'contactName' as name, message_type, content
                from whatsapp_messages where message_id = $1""", second), row -> {
            assertThat(row.getString("kind")).isEqualTo("object");
            assertThat(row.getString("mime")).isEqualTo("image/jpeg");
            assertThat(row.getString("name")).isEqualTo("Meta");
            assertThat(row.getString("message_type")).isEqualTo("image");
            assertThat(row.getString("content")).isEqualTo("photo");
        });
        asserter.assertEquals(() -> one("select metadata -> 'message' ->> 'id' from whatsapp_messages where message_id = $1",
                first).map(row -> row.getString(0)), first);
        asserter.assertEquals(() -> one("select pg_typeof(metadata)::text from whatsapp_messages where message_id = $1",
                first).map(row -> row.getString(0)), "jsonb");
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
        asserter.execute(() -> repository.storeOutbound(outbound(phone, id)));
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
        asserter.assertEquals(() -> pool
                .preparedQuery("select status || ' ' || status_errors::text from whatsapp_messages where message_id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getString(0)), "failed [{\"code\": 131026}]");
    }

    @Test
    @RunOnVertxContext
    void aStatusScopedToANumberLeavesAnotherNumbersMessageAlone(UniAsserter asserter) {
        String phone = "33" + System.nanoTime() % 1_000_000_000L;
        String id = wamid();
        Instant at = Instant.ofEpochSecond(1768467400);
        asserter.execute(() -> pool.preparedQuery("""
                with s as (insert into whatsapp_sessions (phone_number, updated_at) values ($1, now()) returning id)
                insert into whatsapp_messages (session_id, message_id, direction, content, status, status_rank,
                                               phone_number_id)
                select s.id, $2, 'OUTBOUND', 'out', 'accepted', 1, 'number-b' from s""").execute(Tuple.of(phone, id)));
        asserter.assertEquals(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "failed", (short) 10, at,
                null, "{}", "number-a")), StatusOutcome.FOREIGN);
        asserter.assertEquals(() -> pool.preparedQuery("select status from whatsapp_messages where message_id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getString(0)), "accepted");
        asserter.assertEquals(() -> pool.preparedQuery("select count(*) from whatsapp_pending_statuses where message_id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getLong(0)), 0L);
        // Its own number, and no scope (a configured app secret), move it.
        asserter.assertEquals(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "delivered", (short) 3, at,
                null, "{}", "number-b")), StatusOutcome.APPLIED);
        asserter.assertEquals(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "read", (short) 4, at,
                null, "{}", null)), StatusOutcome.APPLIED);
    }

    private static ConversationWrites.OutboundRow outbound(String phone, String wamid) {
        return new ConversationWrites.OutboundRow(phone, "118234567890123", wamid, "text", "out",
                "{\"payload\":{}}", MessageStatus.ACCEPTED, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    @RunOnVertxContext
    void aSendIsStoredOnceWithItsSessionAndARepeatMeetsTheWamidKey(UniAsserter asserter) {
        String phone = "34" + System.nanoTime() % 1_000_000_000L;
        String id = wamid();
        asserter.execute(() -> repository.storeOutbound(outbound(phone, id)));
        asserter.assertFailedWith(() -> repository.storeOutbound(outbound(phone, id)),
                failure -> assertThat(io.wagateway.common.Constraints.isUniqueViolation(failure,
                        ConversationWrites.WAMID_KEY)).isTrue());
        asserter.assertEquals(() -> one("""
                select m.direction || ' ' || m.status || ' ' || m.status_rank || ' ' || s.state || ' ' || s.phone_number_id
                  from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id where m.message_id = $1""", id)
                .map(row -> row.getString(0)), "OUTBOUND accepted 1 IDLE 118234567890123");
        asserter.assertEquals(() -> one("select count(*) from whatsapp_sessions where phone_number = $1", phone)
                .map(row -> row.getLong(0)), 1L);
    }

    @Test
    @RunOnVertxContext
    void aReadReceiptNeverMovesAStatusBackwards(UniAsserter asserter) {
        String phone = "35" + System.nanoTime() % 1_000_000_000L;
        String id = wamid();
        asserter.execute(() -> repository.storeOutbound(outbound(phone, id)));
        asserter.execute(() -> pool.withTransaction(tx -> repository.applyStatus(tx, id, "failed", (short) 10,
                Instant.now(), null, "{}")));
        asserter.assertEquals(() -> one("select id from whatsapp_messages where message_id = $1", id)
                .chain(row -> repository.markRead(row.getUUID(0), Instant.now())), false);
        asserter.assertEquals(() -> one("select status from whatsapp_messages where message_id = $1", id)
                .map(row -> row.getString(0)), "failed");
    }

    @Test
    @RunOnVertxContext
    void aSessionChangeKeepsWhatItLeavesOutAndAnUnknownSessionIsNotFound(UniAsserter asserter) {
        String phone = "36" + System.nanoTime() % 1_000_000_000L;
        String id = wamid();
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        asserter.execute(() -> repository.storeOutbound(outbound(phone, id)));
        asserter.assertEquals(() -> sessionOf(phone).chain(session -> repository.updateSession(session,
                SessionState.CHECKOUT, true, "{\"cart\":1}", at)), true);
        asserter.assertEquals(() -> sessionOf(phone).chain(session -> repository.updateSession(session, null, false,
                null, at)), true);
        asserter.assertEquals(() -> one("select state || ' ' || context_data::text from whatsapp_sessions "
                + "where phone_number = $1", phone).map(row -> row.getString(0)), "CHECKOUT {\"cart\": 1}");
        asserter.assertEquals(() -> sessionOf(phone).chain(session -> repository.updateSession(session, null, true,
                null, at)), true);
        asserter.assertEquals(() -> one("select state || ' ' || coalesce(context_data::text, 'none') "
                + "from whatsapp_sessions where phone_number = $1", phone).map(row -> row.getString(0)), "CHECKOUT none");
        asserter.assertEquals(() -> repository.updateSession(UUID.randomUUID(), SessionState.IDLE, false, null, at),
                false);
    }

    @Test
    @RunOnVertxContext
    void aDeletedSessionLeavesTombstonesAndIsGoneForGood(UniAsserter asserter) {
        String phone = "37" + System.nanoTime() % 1_000_000_000L;
        String id = wamid();
        asserter.execute(() -> repository.storeOutbound(outbound(phone, id)));
        asserter.assertEquals(() -> sessionOf(phone).chain(repository::deleteSession), true);
        asserter.assertEquals(() -> one("select count(*) from whatsapp_deleted_messages where message_id = $1", id)
                .map(row -> row.getLong(0)), 1L);
        asserter.assertEquals(() -> one("select count(*) from customer_profiles where wa_id = $1 "
                + "and conversation_deleted_at is not null", phone).map(row -> row.getLong(0)), 1L);
        asserter.assertEquals(() -> one("select count(*) from whatsapp_messages where message_id = $1", id)
                .map(row -> row.getLong(0)), 0L);
        asserter.assertEquals(() -> repository.deleteSession(UUID.randomUUID()), false);
    }

    private Uni<UUID> sessionOf(String phone) {
        return one("select id from whatsapp_sessions where phone_number = $1", phone).map(row -> row.getUUID(0));
    }
}
