package io.wagateway.webhook;

import static io.restassured.RestAssured.given;
import static io.wagateway.webhook.WebhookResourceTest.rowsFor;
import static io.wagateway.webhook.WebhookResourceTest.uniquePhone;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wagateway.support.Conversations;
import io.wagateway.support.Metrics;
import io.wagateway.support.Sql;
import io.wagateway.support.TestDatabase;
import io.wagateway.support.Webhooks;

/**
 * A deleted conversation stays deleted: Meta's retries and captured bodies of its messages, and messages its
 * customer sent before the deletion, are acknowledged as duplicates and store nothing; what the customer
 * writes afterwards is a new conversation. Messages older than the retry horizon are acknowledged and not
 * stored.
 */
@QuarkusTest
class TombstoneTest {

    @Inject
    WebhookConfig config;

    @Inject
    RetentionJanitor janitor;

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static String sessionOf(String phone) {
        return (String) Sql.row("select cast(id as text) as id from whatsapp_sessions where phone_number = ?", phone)
                .get("id");
    }

    static long sessionsOf(String phone) {
        return Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", phone);
    }

    static void deleteSession(String phone) {
        given().header("Authorization", Conversations.admin()).delete("/api/v1/sessions/" + sessionOf(phone))
                .then().statusCode(204);
    }

    static byte[] text(String phone, String wamid, long ts) {
        return Webhooks.inbound(phone, "Deleted Customer", Webhooks.text(phone, wamid, ts, "text " + wamid));
    }

    @Test
    void aRedeliveryOfADeletedMessageIsADuplicateAndStoresNothing() {
        String phone = uniquePhone();
        String first = uniqueWamid();
        String second = uniqueWamid();
        byte[] firstBody = text(phone, first, now() - 3600);
        Webhooks.post(firstBody).then().statusCode(200).body("stored", equalTo(1));
        Webhooks.post(text(phone, second, now() - 1800)).then().statusCode(200).body("stored", equalTo(1));
        deleteSession(phone);
        double duplicates = metric("whatsapp_webhook_duplicates_total");

        Webhooks.post(firstBody).then().statusCode(200).body("stored", equalTo(0)).body("duplicates", equalTo(1));

        assertThat(rowsFor(first)).isZero();
        assertThat(rowsFor(second)).isZero();
        assertThat(sessionsOf(phone)).as("no new session").isZero();
        assertThat(metric("whatsapp_webhook_duplicates_total")).isEqualTo(duplicates + 1);
    }

    @Test
    void aMessageTheCustomerSentBeforeTheDeletionIsADuplicateEvenWithANewWamid() {
        String phone = uniquePhone();
        Webhooks.post(text(phone, uniqueWamid(), now() - 3600)).then().statusCode(200);
        deleteSession(phone);
        String unseen = uniqueWamid();

        Webhooks.post(text(phone, unseen, now() - 60)).then().statusCode(200).body("duplicates", equalTo(1));

        assertThat(rowsFor(unseen)).isZero();
        assertThat(sessionsOf(phone)).isZero();
    }

    @Test
    void aNewMessageAfterTheDeletionStartsANewConversation() {
        String phone = uniquePhone();
        String old = uniqueWamid();
        byte[] oldBody = text(phone, old, now() - 3600);
        Webhooks.post(oldBody).then().statusCode(200);
        String deleted = sessionOf(phone);
        deleteSession(phone);
        String fresh = uniqueWamid();
        long after = now() + 1;

        Webhooks.post(text(phone, fresh, after)).then().statusCode(200).body("stored", equalTo(1));

        assertThat(rowsFor(fresh)).isEqualTo(1);
        assertThat(sessionOf(phone)).isNotEqualTo(deleted);
        assertThat(((Timestamp) Sql.row("select last_inbound_at from whatsapp_sessions where phone_number = ?",
                phone).get("last_inbound_at")).toInstant().getEpochSecond()).isEqualTo(after);
        // The old message's retry still stores nothing in the new conversation.
        Webhooks.post(oldBody).then().statusCode(200).body("duplicates", equalTo(1));
        assertThat(rowsFor(old)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", phone)).isEqualTo(1);
    }

    @Test
    void aDeliveryOfSeveralItemsStoresOnlyWhatTheDeletionDidNotCover() {
        String phone = uniquePhone();
        String old = uniqueWamid();
        String outbound = uniqueWamid();
        Webhooks.post(text(phone, old, now() - 3600)).then().statusCode(200);
        WebhookResourceTest.outbound(outbound, phone);
        deleteSession(phone);
        String unseen = uniqueWamid();
        String fresh = uniqueWamid();
        long after = now() + 1;
        byte[] body = Webhooks.inbound(phone, "Deleted Customer", String.join(",",
                Webhooks.text(phone, old, now() - 3600, "again"),
                Webhooks.text(phone, unseen, now() - 60, "sent before the deletion"),
                Webhooks.text(phone, fresh, after, "after the deletion")));

        Webhooks.post(body).then().statusCode(200).body("stored", equalTo(1)).body("duplicates", equalTo(2));

        assertThat(rowsFor(old)).isZero();
        assertThat(rowsFor(unseen)).isZero();
        assertThat(rowsFor(fresh)).isEqualTo(1);
        assertThat(sessionsOf(phone)).isEqualTo(1);
        // A status of the deleted outbound message is not kept for a message that will never come back.
        Webhooks.post(Webhooks.statuses(Webhooks.status(outbound, "delivered", now()))).then().statusCode(200)
                .body("statusesPending", equalTo(0));
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", outbound)).isZero();
        assertThat(rowsFor(outbound)).isZero();
    }

    @Test
    void aDeliveryRacingTheDeleteIsNotStored() throws Exception {
        String phone = uniquePhone();
        Webhooks.post(text(phone, uniqueWamid(), now() - 3600)).then().statusCode(200);
        String id = sessionOf(phone);
        String late = uniqueWamid();
        byte[] lateBody = text(phone, late, now() - 60);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (Connection lock = TestDatabase.current().connect()) {
            // The session row is held here, so the delete stops inside its transaction; the delivery then
            // starts while the delete has neither committed nor rolled back.
            lock.setAutoCommit(false);
            lock.createStatement().execute("select 1 from whatsapp_sessions where id = '" + id + "' for update");
            Future<Integer> delete = executor.submit(() -> given().header("Authorization", Conversations.admin())
                    .delete("/api/v1/sessions/" + id).statusCode());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lockWaiters() >= 1);
            Future<Response> delivery = executor.submit(() -> Webhooks.post(lateBody));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lockWaiters() >= 2);
            lock.rollback();
            assertThat(delete.get()).isEqualTo(204);
            delivery.get().then().statusCode(200).body("stored", equalTo(0)).body("duplicates", equalTo(1));
        } finally {
            executor.shutdownNow();
        }
        assertThat(rowsFor(late)).isZero();
        assertThat(sessionsOf(phone)).isZero();
    }

    @Test
    void aMessageOlderThanTheRetryHorizonIsAcknowledgedCountedAndNotStored() {
        String phone = uniquePhone();
        String stale = uniqueWamid();
        String recent = uniqueWamid();
        long horizon = now() - config.staleAfter().toSeconds();
        double before = metric("whatsapp_webhook_ignored_messages_total{reason=\"stale\"}");

        Webhooks.post(text(phone, stale, horizon - 3600)).then().statusCode(200).body("stored", equalTo(0));
        Webhooks.post(text(phone, recent, horizon + 3600)).then().statusCode(200).body("stored", equalTo(1));

        assertThat(rowsFor(stale)).isZero();
        assertThat(rowsFor(recent)).isEqualTo(1);
        assertThat(metric("whatsapp_webhook_ignored_messages_total{reason=\"stale\"}")).isEqualTo(before + 1);
    }

    @Test
    void tombstonesOlderThanTheHorizonArePurgedInBoundedBatches() {
        OffsetDateTime old = OffsetDateTime.now().minus(config.staleAfter()).minusHours(2);
        OffsetDateTime recent = OffsetDateTime.now().minusHours(1);
        String prefix = "wamid.PURGE" + UUID.randomUUID() + ".";
        for (int i = 0; i < 5; i++) {
            Sql.update("insert into whatsapp_deleted_messages (message_id, deleted_at) values (?, ?)", prefix + i, old);
        }
        Sql.update("insert into whatsapp_deleted_messages (message_id, deleted_at) values (?, ?)", prefix + "recent",
                recent);
        String oldCustomer = uniquePhone();
        String recentCustomer = uniquePhone();
        Sql.update("insert into customer_profiles (wa_id, updated_at, conversation_deleted_at) values (?, now(), ?)",
                oldCustomer, old);
        Sql.update("insert into customer_profiles (wa_id, updated_at, conversation_deleted_at) values (?, now(), ?)",
                recentCustomer, recent);

        // Two rows per statement: the five old wamids take three.
        long purged = janitor.purgeTombstones(2).await().atMost(Duration.ofSeconds(30));

        // the janitor's own run (a minute after start, then hourly) may have dropped them just before this call;
        // otherwise this call dropped them all, in batches of two
        assertThat(purged == 0 || purged >= 6).as("dropped %d", purged).isTrue();
        assertThat(Sql.count("select count(*) from whatsapp_deleted_messages where message_id like ?", prefix + "%"))
                .isEqualTo(1);
        assertThat(Sql.count("select count(*) from whatsapp_deleted_messages where message_id = ?", prefix + "recent"))
                .isEqualTo(1);
        assertThat(Sql.row("select conversation_deleted_at from customer_profiles where wa_id = ?", oldCustomer)
                .get("conversation_deleted_at")).isNull();
        assertThat(Sql.row("select conversation_deleted_at from customer_profiles where wa_id = ?", recentCustomer)
                .get("conversation_deleted_at")).isNotNull();
    }

    static long lockWaiters() {
        return Sql.count("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                + "and datname = current_database()");
    }

    /** A counter's value from /q/metrics; 0 before it is registered. */
    static double metric(String series) {
        return Metrics.series(series);
    }
}
