package io.wagateway.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.wagateway.support.Sql;
import io.wagateway.support.SseClient;
import io.wagateway.support.TestDatabase;

/**
 * {@code GET /api/v1/events/stream} against the real database, read line by line as it arrives: backlog then live,
 * no skipped event when transactions commit out of order, keep-alive, bounds and refusals.
 */
@QuarkusTest
@TestProfile(EventStreamTest.ShortHeartbeatTwoStreams.class)
class EventStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String STREAM = "/api/v1/events/stream";

    public static class ShortHeartbeatTwoStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.events.stream-heartbeat", "1s", "gateway.events.max-streams", "2");
        }
    }

    @Inject
    EventLog log;

    @Inject
    Pool pool;

    @Inject
    EventStreams streams;

    @Inject
    EventsNumbered numbered;

    @Inject
    ObjectMapper mapper;

    private static Map<String, String> admin() {
        return Map.of("Authorization", EventLogTest.admin());
    }

    private static Map<String, String> admin(String lastEventId) {
        return Map.of("Authorization", EventLogTest.admin(), EventResource.LAST_EVENT_ID, lastEventId);
    }

    /** Appends one event per value of {@code n} (each its own transaction) and waits until all are numbered. */
    private List<Long> appendNumbered(String phone, int... n) {
        for (int value : n) {
            EventLogTest.appendCommitted(pool, log, EventType.MESSAGE_RECEIVED, phone, UUID.randomUUID(),
                    Map.of("n", value));
        }
        Awaitility.await().atMost(WAIT).until(() -> Sql.count("select count(*) from gateway_events "
                + "where phone_number_id = ? and id is null", phone) == 0);
        return Sql.rows("select id from gateway_events where phone_number_id = ? order by id", phone).stream()
                .map(row -> ((Number) row.get("id")).longValue()).toList();
    }

    private String n(SseClient.Event event) throws Exception {
        return mapper.readTree(event.data()).path("data").path("n").asText();
    }

    @Test
    void theBacklogAfterLastEventIdThenEachNewEventAsItIsNumbered() throws Exception {
        String phone = EventLogTest.newPhoneNumberId();
        List<Long> ids = appendNumbered(phone, 1, 2, 3);
        // the header wins over after=0
        try (SseClient stream = SseClient.open(STREAM, Map.of("phoneNumberId", phone, "after", "0"),
                admin(Long.toString(ids.get(0))))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.response().headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            List<SseClient.Event> backlog = stream.nextEvents(2, WAIT);
            assertThat(backlog).extracting(SseClient.Event::id).containsExactly(ids.get(1).toString(),
                    ids.get(2).toString());
            SseClient.Event first = backlog.get(0);
            assertThat(first.type()).isEqualTo(EventType.MESSAGE_RECEIVED);
            assertThat(first.data()).doesNotContain("\n");
            JsonNode cloudEvent = mapper.readTree(first.data());
            assertThat(cloudEvent.path("specversion").asText()).isEqualTo("1.0");
            assertThat(cloudEvent.path("id").asText()).isEqualTo(first.id());
            assertThat(cloudEvent.path("type").asText()).isEqualTo(EventType.MESSAGE_RECEIVED);
            assertThat(cloudEvent.path("source").asText()).isEqualTo("/whatsapp-gateway/" + phone);
            assertThat(n(first)).isEqualTo("2");
            assertThat(n(backlog.get(1))).isEqualTo("3");

            // live: the stream is still open and gets each event once it is numbered
            EventLogTest.appendCommitted(pool, log, EventType.MESSAGE_STATUS, phone, UUID.randomUUID(), Map.of("n", 4));
            SseClient.Event live = stream.nextEvent(WAIT);
            assertThat(live.type()).isEqualTo(EventType.MESSAGE_STATUS);
            assertThat(n(live)).isEqualTo("4");
            assertThat(Long.parseLong(live.id())).isGreaterThan(ids.get(2));
            EventLogTest.appendCommitted(pool, log, EventType.MESSAGE_SENT, phone, UUID.randomUUID(), Map.of("n", 5));
            assertThat(n(stream.nextEvent(WAIT))).isEqualTo("5");
        }
    }

    @Test
    void afterAndTypesFilterTheStreamLikeTheFeed() throws Exception {
        String phone = EventLogTest.newPhoneNumberId();
        List<Long> ids = appendNumbered(phone, 1, 2);
        EventLogTest.appendCommitted(pool, log, EventType.SESSION_UPDATED, phone, null, Map.of("n", 3));
        try (SseClient stream = SseClient.open(STREAM, Map.of("phoneNumberId", phone, "after",
                ids.get(0).toString(), "types", EventType.MESSAGE_RECEIVED), admin())) {
            assertThat(n(stream.nextEvent(WAIT))).isEqualTo("2");
            EventLogTest.appendCommitted(pool, log, EventType.MESSAGE_RECEIVED, phone, null, Map.of("n", 4));
            // the session event (3) is not of the types asked for
            assertThat(n(stream.nextEvent(WAIT))).isEqualTo("4");
        }
    }

    @Test
    void aHeldTransactionsEventIsNeverSkippedByAStreamNorByAClientResumingFromTheLastIdItSaw() throws Exception {
        String phone = EventLogTest.newPhoneNumberId();
        long before = Sql.count("select coalesce(max(id), 0) from gateway_events");
        SqlConnection held = pool.getConnection().await().atMost(WAIT);
        String seen;
        try {
            // the earlier transaction appends first and stays open ...
            Transaction early = held.begin().await().atMost(WAIT);
            log.append(held, EventType.MESSAGE_RECEIVED, phone, UUID.randomUUID(), Map.of("n", 1)).await()
                    .atMost(WAIT);
            try (SseClient stream = SseClient.open(STREAM, Map.of("phoneNumberId", phone),
                    admin(Long.toString(before)))) {
                // ... while a later one appends and commits: the stream delivers it
                EventLogTest.appendCommitted(pool, log, EventType.MESSAGE_RECEIVED, phone, UUID.randomUUID(),
                        Map.of("n", 2));
                SseClient.Event later = stream.nextEvent(WAIT);
                assertThat(n(later)).isEqualTo("2");
                seen = later.id();
                // the held event has no id yet, so nothing is delivered for it (not even out of order)
                assertThat(stream.quietFor(Duration.ofSeconds(2))).isTrue();

                early.commit().await().atMost(WAIT);
                SseClient.Event earlier = stream.nextEvent(WAIT);
                assertThat(n(earlier)).isEqualTo("1");
                assertThat(Long.parseLong(earlier.id())).isGreaterThan(Long.parseLong(seen));
            }
        } finally {
            held.close().await().atMost(WAIT);
        }
        // a client that lost the stream right after the later event resumes from it and still gets the held one
        Awaitility.await().atMost(WAIT).until(() -> streams.open() == 0);
        try (SseClient resumed = SseClient.open(STREAM, Map.of("phoneNumberId", phone), admin(seen))) {
            SseClient.Event next = resumed.nextEvent(WAIT);
            assertThat(n(next)).isEqualTo("1");
            assertThat(Long.parseLong(next.id())).isGreaterThan(Long.parseLong(seen));
        }
    }

    @Test
    void anIdleStreamGetsKeepAliveComments() {
        try (SseClient stream = SseClient.open(STREAM, Map.of("phoneNumberId", EventLogTest.newPhoneNumberId()),
                admin())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextComment(Duration.ofSeconds(5))).isEqualTo(EventResource.KEEP_ALIVE);
            assertThat(stream.nextComment(Duration.ofSeconds(5))).isEqualTo(EventResource.KEEP_ALIVE);
        }
    }

    @Test
    void withoutAKeyOrWithABadCursorTheStreamIsRefusedAsProblemJson() {
        given().accept("text/event-stream").get(STREAM).then().statusCode(401)
                .contentType("application/problem+json");
        given().accept("text/event-stream").header("Authorization", EventLogTest.admin())
                .header(EventResource.LAST_EVENT_ID, "abc").get(STREAM).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo(EventResource.LAST_EVENT_ID));
        given().accept("text/event-stream").header("Authorization", EventLogTest.admin())
                .header(EventResource.LAST_EVENT_ID, "-1").get(STREAM).then().statusCode(400);
        given().accept("text/event-stream").header("Authorization", EventLogTest.admin()).queryParam("after", "x")
                .get(STREAM).then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("after"));
        given().accept("text/event-stream").header("Authorization", EventLogTest.admin())
                .queryParam("types", "whatsapp.nope").get(STREAM).then().statusCode(400);
        assertThat(streams.open()).isZero();
    }

    @Test
    void beyondMaxStreamsA503WithRetryAfterUntilOneCloses() {
        Awaitility.await().atMost(WAIT).until(() -> streams.open() == 0);
        String phone = EventLogTest.newPhoneNumberId();
        try (SseClient one = SseClient.open(STREAM, Map.of("phoneNumberId", phone), admin());
                SseClient two = SseClient.open(STREAM, Map.of("phoneNumberId", phone), admin())) {
            assertThat(one.status()).isEqualTo(200);
            assertThat(two.status()).isEqualTo(200);
            given().accept("text/event-stream").header("Authorization", EventLogTest.admin()).get(STREAM).then()
                    .statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", Long.toString(EventStreams.RETRY_AFTER.toSeconds()))
                    .body("title", org.hamcrest.Matchers.equalTo("Too many event streams"));
            one.close();
            // the client went away: its slot is given back
            Awaitility.await().atMost(WAIT).until(() -> streams.open() == 1);
            try (SseClient three = SseClient.open(STREAM, Map.of("phoneNumberId", phone), admin())) {
                assertThat(three.status()).isEqualTo(200);
                assertThat(three.nextComment(Duration.ofSeconds(5))).isEqualTo(EventResource.KEEP_ALIVE);
            }
        }
        Awaitility.await().atMost(WAIT).until(() -> streams.open() == 0);
    }

    @Test
    void endingTheStreamsClosesThemAndGivesTheirSlotsBack() {
        Awaitility.await().atMost(WAIT).until(() -> streams.open() == 0);
        try (SseClient stream = SseClient.open(STREAM, Map.of("phoneNumberId", EventLogTest.newPhoneNumberId()),
                admin())) {
            assertThat(stream.status()).isEqualTo(200);
            Awaitility.await().atMost(WAIT).until(() -> streams.open() == 1);
            streams.endAll();
            assertThat(stream.awaitEnd(WAIT)).isTrue();
            Awaitility.await().atMost(WAIT).until(() -> streams.open() == 0);
        }
    }

    @Test
    void theSequencerNotifiesWheneverItNumberedEventsAndTheNotificationFiresEventsNumbered() throws Exception {
        try (Connection listen = TestDatabase.current().connect(); Statement statement = listen.createStatement()) {
            statement.execute("LISTEN " + EventNotifications.CHANNEL);
            long firings = numbered.firings();
            // an event of a number no subscription asks for: no delivery is created, the NOTIFY is still sent
            EventLogTest.appendCommitted(pool, log, EventType.SESSION_UPDATED, EventLogTest.newPhoneNumberId(), null,
                    Map.of("n", 1));
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean numberedSeen = false;
            while (!numberedSeen && System.nanoTime() < deadline) {
                PGNotification[] got = listen.unwrap(PGConnection.class).getNotifications(500);
                for (PGNotification notification : got == null ? new PGNotification[0] : got) {
                    numberedSeen |= EventNotifications.NUMBERED.equals(notification.getParameter());
                }
            }
            assertThat(numberedSeen).isTrue();
            Awaitility.await().atMost(WAIT).until(() -> numbered.firings() > firings);
        }
        // another replica's notification alone (nothing numbered here) fires it too
        long firings = numbered.firings();
        Sql.rows("select pg_notify(?, ?)", EventNotifications.CHANNEL, EventNotifications.NUMBERED);
        Awaitility.await().atMost(WAIT).until(() -> numbered.firings() > firings);
    }
}
