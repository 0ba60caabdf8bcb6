package io.wagateway.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.wagateway.support.PostgresTestResource;
import io.wagateway.support.Sql;

/** The event log against the real database: appends in the caller's transaction, ids after commit, the feed. */
@QuarkusTest
class EventLogTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    EventLog log;

    @Inject
    Deliveries deliveries;

    @Inject
    Pool pool;

    static String newPhoneNumberId() {
        return String.valueOf(100_000_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999_999L));
    }

    static String admin() {
        return "Bearer " + PostgresTestResource.ADMIN_KEY;
    }

    /** Appends one event in its own transaction. */
    static void appendCommitted(Pool pool, EventLog log, String type, String phone, UUID subject, Object data) {
        pool.withTransaction(tx -> log.append(tx, type, phone, subject, data)).await().atMost(WAIT);
    }

    /** The ids of a number's events in the feed after {@code after}, oldest first. */
    private static List<String> feedIds(long after, String phone) {
        return given().header("Authorization", admin()).queryParam("after", after)
                .queryParam("phoneNumberId", phone).get("/api/v1/events").then().statusCode(200).extract().jsonPath()
                .getList("items.id", String.class);
    }

    @Test
    void anEventIsACloudEventWithItsIdTypeSourceSubjectTimeAndData() {
        String phone = newPhoneNumberId();
        UUID session = UUID.randomUUID();
        Instant before = Instant.now().minusSeconds(1);
        appendCommitted(pool, log, EventType.MESSAGE_RECEIVED, phone, session,
                Map.of("wamid", "wamid.EVT1", "sessionId", session.toString(), "text", "Hola"));
        Awaitility.await().atMost(WAIT).until(() -> feedIds(0, phone).size() == 1);
        Map<String, Object> event = given().header("Authorization", admin()).queryParam("phoneNumberId", phone)
                .get("/api/v1/events").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].specversion", equalTo("1.0"))
                .body("items[0].source", equalTo("/whatsapp-gateway/" + phone))
                .body("items[0].type", equalTo(EventType.MESSAGE_RECEIVED))
                .body("items[0].subject", equalTo(session.toString()))
                .body("items[0].datacontenttype", equalTo("application/json"))
                .body("items[0].data.wamid", equalTo("wamid.EVT1"))
                .body("items[0].data.text", equalTo("Hola"))
                .extract().jsonPath().getMap("items[0]");
        assertThat(Long.parseLong((String) event.get("id"))).isPositive();
        assertThat(Instant.parse((String) event.get("time"))).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(given().header("Authorization", admin()).queryParam("phoneNumberId", phone).get("/api/v1/events")
                .jsonPath().getString("nextCursor")).isEqualTo(event.get("id"));
    }

    @Test
    void anEventRolledBackWithItsChangeNeverAppears() {
        String phone = newPhoneNumberId();
        assertThat(pool.withTransaction(tx -> log.append(tx, EventType.SESSION_UPDATED, phone, UUID.randomUUID(),
                Map.of("state", "IDLE")).chain(() -> tx.query("select 1/0").execute())).onFailure().recoverWithNull()
                .await().atMost(WAIT)).isNull();
        appendCommitted(pool, log, EventType.SESSION_UPDATED, phone, null, Map.of("state", "CHECKOUT"));
        Awaitility.await().atMost(WAIT).until(() -> feedIds(0, phone).size() == 1);
        assertThat(Sql.count("select count(*) from gateway_events where phone_number_id = ?", phone)).isEqualTo(1);
    }

    @Test
    void aReaderResumingFromTheLastIdItSawMissesNoEventWhenTransactionsCommitOutOfOrder() {
        String phone = newPhoneNumberId();
        // the earlier transaction appends first and stays open ...
        SqlConnection held = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction early = held.begin().await().atMost(WAIT);
            log.append(held, EventType.MESSAGE_RECEIVED, phone, UUID.randomUUID(), Map.of("n", 1)).await()
                    .atMost(WAIT);
            // ... while a later one appends and commits
            appendCommitted(pool, log, EventType.MESSAGE_RECEIVED, phone, UUID.randomUUID(), Map.of("n", 2));
            Awaitility.await().atMost(WAIT).until(() -> feedIds(0, phone).size() == 1);
            String seen = feedIds(0, phone).get(0);
            long cursor = Long.parseLong(seen);
            Map<String, Object> later = Sql.row("select data->>'n' as n from gateway_events where id = ?", cursor);
            assertThat(later.get("n")).isEqualTo("2");

            early.commit().await().atMost(WAIT);
            // the reader resumes after the last id it saw and still gets the event that committed later
            Awaitility.await().atMost(WAIT).until(() -> feedIds(cursor, phone).size() == 1);
            long resumed = Long.parseLong(feedIds(cursor, phone).get(0));
            assertThat(resumed).isGreaterThan(cursor);
            assertThat(Sql.row("select data->>'n' as n from gateway_events where id = ?", resumed).get("n"))
                    .isEqualTo("1");
        } finally {
            held.close().await().atMost(WAIT);
        }
    }

    @Test
    void theFeedFiltersByTypeAndNumberPagesByLimitAndRefusesBadInput() {
        String phone = newPhoneNumberId();
        for (String type : List.of(EventType.MESSAGE_RECEIVED, EventType.MESSAGE_STATUS, EventType.MESSAGE_RECEIVED)) {
            appendCommitted(pool, log, type, phone, UUID.randomUUID(), Map.of("type", type));
        }
        Awaitility.await().atMost(WAIT).until(() -> feedIds(0, phone).size() == 3);
        List<String> all = feedIds(0, phone);
        assertThat(all).isSortedAccordingTo((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        given().header("Authorization", admin()).queryParam("phoneNumberId", phone)
                .queryParam("types", EventType.MESSAGE_STATUS + "," + EventType.SESSION_UPDATED).get("/api/v1/events")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(all.get(1)));
        given().header("Authorization", admin()).queryParam("phoneNumberId", phone).queryParam("limit", 2)
                .get("/api/v1/events").then().statusCode(200).body("items", hasSize(2))
                .body("nextCursor", equalTo(all.get(1)));
        given().header("Authorization", admin()).queryParam("phoneNumberId", phone)
                .queryParam("after", all.get(2)).get("/api/v1/events").then().statusCode(200)
                .body("items", hasSize(0)).body("nextCursor", equalTo(all.get(2)));
        given().header("Authorization", admin()).queryParam("phoneNumberId", newPhoneNumberId()).get("/api/v1/events")
                .then().statusCode(200).body("items", hasSize(0)).body("nextCursor", nullValue());

        given().header("Authorization", admin()).queryParam("types", "whatsapp.nope").get("/api/v1/events").then()
                .statusCode(400);
        given().header("Authorization", admin()).queryParam("after", "-1").get("/api/v1/events").then()
                .statusCode(400);
        given().header("Authorization", admin()).queryParam("after", "abc").get("/api/v1/events").then()
                .statusCode(400);
        given().header("Authorization", admin()).queryParam("limit", "0").get("/api/v1/events").then()
                .statusCode(400);
        given().get("/api/v1/events").then().statusCode(401);
    }

    @Test
    void retentionDropsOnlyEventsOlderThanTheCutoff() {
        String phone = newPhoneNumberId();
        appendCommitted(pool, log, EventType.MESSAGE_SENT, phone, null, Map.of("age", "old"));
        appendCommitted(pool, log, EventType.MESSAGE_SENT, phone, null, Map.of("age", "new"));
        Awaitility.await().atMost(WAIT).until(() -> feedIds(0, phone).size() == 2);
        Sql.update("update gateway_events set occurred_at = now() - interval '30 days' "
                + "where phone_number_id = ? and data->>'age' = 'old'", phone);
        assertThat(deliveries.purge(Instant.now().minus(Duration.ofDays(7))).await().atMost(WAIT)).isGreaterThanOrEqualTo(1);
        assertThat(Sql.rows("select data->>'age' as age from gateway_events where phone_number_id = ?", phone))
                .extracting(row -> row.get("age")).containsExactly("new");
    }
}
