package io.wagateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.wagateway.support.Sql;

/** Dispatch against the real database and a local HTTP receiver. */
@QuarkusTest
class EventDispatchTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    EventLog log;

    @Inject
    Deliveries deliveries;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper mapper;

    /** A subscription of {@code phone}'s events to {@code url} with the test secret; its id. */
    private static String subscribe(String url, String phone) {
        return SubscriptionResourceTest.create(Map.of("url", url, "phoneNumberIds", List.of(phone), "secret",
                SubscriptionResourceTest.SECRET)).then().statusCode(201).extract().jsonPath().getString("id");
    }

    private void append(String phone, UUID session, String label) {
        EventLogTest.appendCommitted(pool, log, EventType.MESSAGE_RECEIVED, phone, session, Map.of("label", label));
    }

    private String label(Receiver.Received received) throws Exception {
        return mapper.readTree(received.body()).path("data").path("label").asText();
    }

    /** Standard Webhooks verification, written out independently of the signer under test. */
    private static boolean validSignature(Receiver.Received received) throws Exception {
        byte[] key = Base64.getDecoder().decode(SubscriptionResourceTest.SECRET.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(
                (received.id() + "." + received.timestamp() + "." + received.body()).getBytes(StandardCharsets.UTF_8)));
        return received.signature().equals("v1," + expected);
    }

    @Test
    void anEventIsPostedAsASignedCloudEventAndMarkedDelivered() throws Exception {
        String phone = EventLogTest.newPhoneNumberId();
        UUID session = UUID.randomUUID();
        try (Receiver receiver = new Receiver(vertx, (id, attempt) -> 204)) {
            String subscription = subscribe(receiver.url(), phone);
            append(phone, session, "hello");
            Awaitility.await().atMost(WAIT).until(() -> receiver.received().size() == 1);
            Receiver.Received got = receiver.received().get(0);
            assertThat(got.contentType()).isEqualTo(CloudEvent.MEDIA_TYPE);
            assertThat(validSignature(got)).isTrue();
            assertThat(Math.abs(Long.parseLong(got.timestamp()) - Instant.now().getEpochSecond())).isLessThan(30);
            JsonNode event = mapper.readTree(got.body());
            assertThat(event.path("specversion").asText()).isEqualTo("1.0");
            assertThat(event.path("id").asText()).isEqualTo(got.id());
            assertThat(event.path("source").asText()).isEqualTo("/whatsapp-gateway/" + phone);
            assertThat(event.path("type").asText()).isEqualTo(EventType.MESSAGE_RECEIVED);
            assertThat(event.path("subject").asText()).isEqualTo(session.toString());
            assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
            assertThat(event.path("data").path("label").asText()).isEqualTo("hello");
            // answered 2xx at the first attempt from the subscription's cursor: logged, and no delivery row needed
            Awaitility.await().atMost(WAIT).until(() -> Sql.count(
                    "select count(*) from gateway_delivery_log where subscription_id = ?::uuid", subscription) == 1);
            assertThat(Sql.row("""
                    select a.attempt, a.status_code, a.event_id::text as event_id, a.delivery_id
                    from gateway_delivery_log a where a.subscription_id = ?::uuid""", subscription))
                    .containsEntry("attempt", 1).containsEntry("status_code", 204).containsEntry("event_id", got.id())
                    .containsEntry("delivery_id", null);
            // logged as a run of first attempts, not as an attempt row of its own
            assertThat(Sql.count("select count(*) from gateway_delivery_attempts where subscription_id = ?::uuid",
                    subscription)).isZero();
            assertThat(Sql.count("select count(*) from gateway_event_deliveries where subscription_id = ?::uuid",
                    subscription)).isZero();
            io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                    .get("/api/v1/subscriptions/" + subscription + "/deliveries").then().statusCode(200)
                    .body("items[0].eventId", org.hamcrest.Matchers.equalTo(got.id()))
                    .body("items[0].deliveryState", org.hamcrest.Matchers.equalTo("delivered"));
            // the cursor moved past it
            Awaitility.await().atMost(WAIT).until(() -> Sql.count("""
                    select count(*) from gateway_subscription_cursors
                    where subscription_id = ?::uuid and cursor_event_id >= ?::bigint""", subscription, got.id()) == 1);
        }
    }

    @Test
    void aDeliveryAnswered500IsRetriedWithTheSameIdAfterABackoff() throws Exception {
        String phone = EventLogTest.newPhoneNumberId();
        try (Receiver receiver = new Receiver(vertx, (id, attempt) -> attempt == 1 ? 500 : 200)) {
            String subscription = subscribe(receiver.url(), phone);
            append(phone, UUID.randomUUID(), "retry");
            Awaitility.await().atMost(WAIT).until(() -> receiver.received().size() == 2);
            List<Receiver.Received> got = receiver.received();
            assertThat(got).extracting(Receiver.Received::answered).containsExactly(500, 200);
            assertThat(got.get(1).id()).isEqualTo(got.get(0).id());
            assertThat(validSignature(got.get(1))).isTrue();
            Awaitility.await().atMost(WAIT).until(() -> "delivered".equals(Sql.row(
                    "select state from gateway_event_deliveries where subscription_id = ?::uuid", subscription)
                    .get("state")));
            List<Map<String, Object>> attempts = Sql.rows("""
                    select a.attempt, a.status_code, a.next_attempt_at, a.attempted_at from gateway_delivery_attempts a
                    join gateway_event_deliveries d on d.id = a.delivery_id where d.subscription_id = ?::uuid
                    order by a.attempt""", subscription);
            assertThat(attempts).extracting(row -> row.get("status_code")).containsExactly(500, 200);
            // the retry was planned about 1 s later (jitter: 0.75-1.25 s)
            long plannedMillis = Duration.between(((java.sql.Timestamp) attempts.get(0).get("attempted_at")).toInstant(),
                    ((java.sql.Timestamp) attempts.get(0).get("next_attempt_at")).toInstant()).toMillis();
            assertThat(plannedMillis).isBetween(500L, 1500L);
        }
    }

    @Test
    void eventsOfASessionArriveInOrderAndASlowSessionDoesNotHoldUpTheOthers() throws Exception {
        String phone = EventLogTest.newPhoneNumberId();
        UUID slow = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Receiver receiver = new Receiver(vertx, (id, attempt) -> attempt == 1 && failedOnce.isEmpty()
                && failedOnce.add(id) ? 500 : 200)) {
            subscribe(receiver.url(), phone);
            append(phone, slow, "slow-1");
            Awaitility.await().atMost(WAIT).until(() -> !receiver.received().isEmpty());
            append(phone, other, "other-1");
            append(phone, slow, "slow-2");
            append(phone, other, "other-2");
            Awaitility.await().atMost(WAIT).until(() -> receiver.received().stream()
                    .filter(r -> r.answered() == 200).count() == 4);
            List<String> order = new ArrayList<>();
            for (Receiver.Received received : receiver.received()) {
                order.add(label(received) + ":" + received.answered());
            }
            assertThat(order.get(0)).isEqualTo("slow-1:500");
            // the other session went on while slow-1 waited for its retry; slow-2 only after slow-1 was delivered
            assertThat(order.indexOf("other-2:200")).isLessThan(order.indexOf("slow-1:200"));
            assertThat(order.indexOf("slow-2:200")).isGreaterThan(order.indexOf("slow-1:200"));
            assertThat(order).hasSize(5);
        }
    }

    @Test
    void aSessionsBacklogWaitsBehindItsHeadDrainsInOrderAndCanBeReplayed() throws Exception {
        String phone = EventLogTest.newPhoneNumberId();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (Receiver receiver = new Receiver(vertx, (id, attempt) -> down.get() ? 503 : 200)) {
            String subscription = subscribe(receiver.url(), phone);
            for (int i = 1; i <= 15; i++) {
                append(phone, first, "first-" + i);
                if (i <= 5) {
                    append(phone, second, "second-" + i);
                }
            }
            Awaitility.await().atMost(WAIT).until(() -> Sql.count(
                    "select count(*) from gateway_event_deliveries where subscription_id = ?::uuid", subscription) == 20);
            // only each session's head is due; the 18 behind them wait without a next try
            Awaitility.await().atMost(WAIT).until(() -> !receiver.received().isEmpty());
            assertThat(Sql.count("select count(*) from gateway_event_deliveries where subscription_id = ?::uuid "
                    + "and next_attempt_at is null", subscription)).isEqualTo(18);
            Set<String> tried = new HashSet<>();
            for (Receiver.Received received : receiver.received()) {
                tried.add(label(received));
            }
            assertThat(tried).isSubsetOf(Set.of("first-1", "second-1"));

            down.set(false);
            Awaitility.await().atMost(WAIT).until(() -> delivered(receiver).size() == 20);
            List<String> order = delivered(receiver);
            assertThat(order.stream().filter(l -> l.startsWith("first-")).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 15).mapToObj(i -> "first-" + i)
                            .toList());
            assertThat(order.stream().filter(l -> l.startsWith("second-")).toList())
                    .containsExactly("second-1", "second-2", "second-3", "second-4", "second-5");
            Awaitility.await().atMost(WAIT).until(() -> Sql.count("select count(*) from gateway_event_deliveries "
                    + "where subscription_id = ?::uuid and (state <> 'delivered' or not released)", subscription) == 0);

            // the attempt log, newest first: the last attempts delivered, the first ones answered 503 with a next try
            io.restassured.response.Response page = io.restassured.RestAssured.given()
                    .header("Authorization", EventLogTest.admin()).queryParam("limit", 5)
                    .get("/api/v1/subscriptions/" + subscription + "/deliveries");
            page.then().statusCode(200);
            assertThat(page.jsonPath().getList("items")).hasSize(5);
            assertThat(page.jsonPath().getInt("items[0].statusCode")).isEqualTo(200);
            assertThat(page.jsonPath().getString("items[0].deliveryState")).isEqualTo("delivered");
            List<Map<String, Object>> all = new ArrayList<>();
            String cursor = null;
            do {
                var request = io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                        .queryParam("limit", 7);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                io.restassured.response.Response next = request.get("/api/v1/subscriptions/" + subscription
                        + "/deliveries");
                next.then().statusCode(200);
                all.addAll(next.jsonPath().getList("items"));
                cursor = next.jsonPath().getString("nextCursor");
            } while (cursor != null);
            assertThat(all).hasSize(receiver.received().size());
            Map<String, Object> oldest = all.get(all.size() - 1);
            assertThat(oldest).containsEntry("statusCode", 503).containsEntry("attempt", 1);
            assertThat(oldest.get("nextAttemptAt")).isNotNull();

            // replay everything from the first event: the same ids again, in order per session
            String firstEvent = all.stream().filter(a -> ((Integer) a.get("attempt")) == 1)
                    .map(a -> (String) a.get("eventId")).min(java.util.Comparator.comparingLong(Long::parseLong))
                    .orElseThrow();
            Set<String> ids = new HashSet<>();
            receiver.received().forEach(r -> ids.add(r.id()));
            int before = receiver.received().size();
            io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                    .contentType(io.restassured.http.ContentType.JSON)
                    .body(Map.of("fromEventId", Long.parseLong(firstEvent)))
                    .post("/api/v1/subscriptions/" + subscription + "/replay").then().statusCode(202)
                    .body("queued", org.hamcrest.Matchers.equalTo(20)).body("more", org.hamcrest.Matchers.equalTo(false));
            Awaitility.await().atMost(WAIT).until(() -> receiver.received().size() == before + 20);
            List<Receiver.Received> replayed = receiver.received().subList(before, before + 20);
            Set<String> replayedIds = new HashSet<>();
            replayed.forEach(r -> replayedIds.add(r.id()));
            assertThat(replayedIds).isEqualTo(ids);
            List<String> again = new ArrayList<>();
            for (Receiver.Received r : replayed) {
                again.add(label(r));
            }
            assertThat(again.stream().filter(l -> l.startsWith("second-")).toList())
                    .containsExactly("second-1", "second-2", "second-3", "second-4", "second-5");

            // the feed's meters, per subscription
            String label = "subscription=\"" + subscription + "\"";
            Awaitility.await().atMost(WAIT).until(() -> io.wagateway.support.Metrics
                    .value("gateway_events_delivered_total", label) == 40);
            assertThat(io.wagateway.support.Metrics.value("gateway_events_retried_total", label))
                    .isEqualTo(before - 20);
            assertThat(io.wagateway.support.Metrics.value("gateway_events_failed_total", label)).isZero();
            assertThat(io.wagateway.support.Metrics.value("gateway_events_written_total", "")).isGreaterThanOrEqualTo(20);
            Awaitility.await().atMost(WAIT).until(() -> io.wagateway.support.Metrics.scrape()
                    .contains("gateway_events_pending{" + label + "} 0.0"));
            assertThat(io.wagateway.support.Metrics.scrape()).contains("gateway_events_dispatch_lag_seconds{" + label)
                    .contains("gateway_events_in_flight");
        }
    }

    private List<String> delivered(Receiver receiver) throws Exception {
        List<String> labels = new ArrayList<>();
        for (Receiver.Received received : receiver.received()) {
            if (received.answered() == 200) {
                labels.add(label(received));
            }
        }
        return labels;
    }

    @Test
    void twoReplicasClaimingAtOnceNeverTakeTheSameDeliveryAndAnEndedLeaseFreesIt() {
        String phone = EventLogTest.newPhoneNumberId();
        // events of a number nobody subscribes to, then deliveries due tomorrow that the running dispatcher leaves
        for (int i = 0; i < 40; i++) {
            append(phone, UUID.randomUUID(), "claim-" + i);
        }
        Awaitility.await().atMost(WAIT).until(() -> Sql.count(
                "select count(*) from gateway_events where phone_number_id = ? and id is not null", phone) == 40);
        String subscription = subscribe("http://127.0.0.1:9/unused", EventLogTest.newPhoneNumberId());
        Sql.update("""
                insert into gateway_event_deliveries (subscription_id, event_id, subject, next_attempt_at)
                select ?::uuid, id, subject, now() + interval '1 day' from gateway_events where phone_number_id = ?""",
                subscription, phone);
        Instant later = Instant.now().plus(Duration.ofDays(2));
        Instant leaseEnd = later.plus(Duration.ofMinutes(1));
        Set<Long> claimed = new HashSet<>();
        int duplicates = 0;
        for (int round = 0; round < 20 && claimed.size() < 40; round++) {
            List<List<Deliveries.Claimed>> both = Uni.combine().all()
                    .unis(deliveries.claim(later, 3, leaseEnd), deliveries.claim(later, 3, leaseEnd)).asTuple()
                    .map(pair -> List.of(pair.getItem1(), pair.getItem2())).await().atMost(WAIT);
            for (List<Deliveries.Claimed> one : both) {
                for (Deliveries.Claimed delivery : one) {
                    if (!claimed.add(delivery.id())) {
                        duplicates++;
                    }
                    assertThat(delivery.attempt()).isEqualTo(1);
                    assertThat(delivery.event().source()).isEqualTo("/whatsapp-gateway/" + phone);
                }
            }
        }
        assertThat(duplicates).isZero();
        assertThat(claimed).hasSize(40);
        // held by their lease ...
        assertThat(deliveries.claim(later, 100, leaseEnd).await().atMost(WAIT)).isEmpty();
        // ... until it ends (the claimer died): claimed again, and the first claim's outcome no longer counts
        List<Deliveries.Claimed> again = deliveries.claim(leaseEnd.plusSeconds(1), 100,
                leaseEnd.plus(Duration.ofMinutes(1))).await().atMost(WAIT);
        assertThat(again).hasSize(40).allSatisfy(delivery -> assertThat(delivery.attempt()).isEqualTo(2));
        long first = again.get(0).id();
        assertThat(deliveries.record(List.of(new Deliveries.Outcome(first, 1, Deliveries.State.DELIVERED, null, 200,
                null, 5))).await().atMost(WAIT)).isEmpty();
        // several outcomes in one statement: each fenced by its own attempt number
        long second = again.get(1).id();
        assertThat(deliveries.record(List.of(
                new Deliveries.Outcome(first, 2, Deliveries.State.DELIVERED, null, 200, null, 5),
                new Deliveries.Outcome(second, 1, Deliveries.State.DELIVERED, null, 200, null, 5))).await()
                .atMost(WAIT)).containsExactly(first);
        assertThat(Sql.row("select state, attempts from gateway_event_deliveries where id = ?", first))
                .containsEntry("state", "delivered").containsEntry("attempts", 2);
    }

    @Test
    void aDeliveryStillFailingAfterTheMaximumRetryDurationIsMarkedFailed() {
        String phone = EventLogTest.newPhoneNumberId();
        try (Receiver receiver = new Receiver(vertx, (id, attempt) -> 503)) {
            append(phone, UUID.randomUUID(), "expired");
            Awaitility.await().atMost(WAIT).until(() -> Sql.count(
                    "select count(*) from gateway_events where phone_number_id = ? and id is not null", phone) == 1);
            String subscription = subscribe(receiver.url(), EventLogTest.newPhoneNumberId());
            // fanned out three days ago: the first failure is past gateway.events.max-retry-duration
            Sql.update("""
                    insert into gateway_event_deliveries (subscription_id, event_id, subject, created_at)
                    select ?::uuid, id, subject, now() - interval '3 days' from gateway_events where phone_number_id = ?""",
                    subscription, phone);
            Sql.rows("select pg_notify('gateway_events', 'test')");
            Awaitility.await().atMost(WAIT).until(() -> "failed".equals(Sql.row(
                    "select state from gateway_event_deliveries where subscription_id = ?::uuid", subscription)
                    .get("state")));
            assertThat(receiver.received()).hasSize(1);
            assertThat(Sql.row("select last_status, finished_at from gateway_event_deliveries "
                    + "where subscription_id = ?::uuid", subscription)).containsEntry("last_status", 503)
                    .extractingByKey("finished_at").isNotNull();
        }
    }

    @Test
    void aCursorIsHeldByOneReplicaUntilItsLeaseEndsAndOnlyTheHolderMovesIt() {
        String subscription = subscribe("http://127.0.0.1:9/unused", EventLogTest.newPhoneNumberId());
        UUID id = UUID.fromString(subscription);
        UUID other = UUID.randomUUID();
        // this test's own replica holds every cursor: another dispatcher gets none of them while the lease runs
        Awaitility.await().atMost(WAIT).until(() -> Sql.count(
                "select count(*) from gateway_subscription_cursors where subscription_id = ?::uuid "
                        + "and dispatcher is not null",
                subscription) == 1);
        assertThat(deliveries.claimCursors(other, 60_000).await().atMost(WAIT))
                .noneMatch(cursor -> cursor.subscriptionId().equals(id));
        assertThat(deliveries.advance(id, other, Long.MAX_VALUE, List.of()).await().atMost(WAIT)).isFalse();
        // the holder died: its lease ends, and the other takes the cursor where it was
        long at = Sql.count("select cursor_event_id from gateway_subscription_cursors where subscription_id = ?::uuid",
                subscription);
        Sql.update("update gateway_subscription_cursors set dispatcher_until = now() - interval '1 second' "
                + "where subscription_id = ?::uuid", subscription);
        assertThat(deliveries.claimCursors(other, 60_000).await().atMost(WAIT))
                .contains(new Deliveries.Cursor(id, at));
        assertThat(deliveries.advance(id, other, at + 1, List.of()).await().atMost(WAIT)).isTrue();
        assertThat(Sql.count("select cursor_event_id from gateway_subscription_cursors where subscription_id = ?::uuid",
                subscription)).isEqualTo(at + 1);
        // given up (shutdown): free at once for this replica's next claim
        deliveries.releaseCursors(other).await().atMost(WAIT);
        Sql.rows("select pg_notify('gateway_events', 'subscriptions')");
        Awaitility.await().atMost(WAIT).until(() -> Sql.count(
                "select count(*) from gateway_subscription_cursors where subscription_id = ?::uuid "
                        + "and dispatcher is not null and dispatcher <> ?::uuid",
                subscription, other) == 1);
        io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                .delete("/api/v1/subscriptions/" + subscription).then().statusCode(204);
    }

    @Test
    void theAttemptLogPagesRunsOfFirstAttemptsAndAttemptRowsTogetherNewestFirst() {
        String phone = EventLogTest.newPhoneNumberId();
        String subscription = subscribe("http://127.0.0.1:9/unused", EventLogTest.newPhoneNumberId());
        UUID id = UUID.fromString(subscription);
        UUID session = UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            append(phone, session, "e" + i);
        }
        Awaitility.await().atMost(WAIT).until(() -> Sql.count(
                "select count(*) from gateway_events where phone_number_id = ? and id is not null", phone) == 5);
        List<Long> ids = Sql.rows("select id from gateway_events where phone_number_id = ? order by id", phone)
                .stream().map(row -> ((Number) row.get("id")).longValue()).toList();
        // this test plays the lane: it takes the cursor from the test's own replica
        UUID lane = UUID.randomUUID();
        Awaitility.await().atMost(WAIT).until(() -> Sql.count("select count(*) from gateway_subscription_cursors "
                + "where subscription_id = ?::uuid and dispatcher is not null", subscription) == 1);
        Sql.update("update gateway_subscription_cursors set dispatcher_until = now() - interval '1 second' "
                + "where subscription_id = ?::uuid", subscription);
        long at = Sql.count("select cursor_event_id from gateway_subscription_cursors where subscription_id = ?::uuid",
                subscription);
        assertThat(deliveries.claimCursors(lane, 60_000).await().atMost(WAIT)).contains(new Deliveries.Cursor(id, at));

        assertThat(deliveries.advance(id, lane, at, List.of(new Deliveries.FirstAttempt(ids.get(0), 204, 3),
                new Deliveries.FirstAttempt(ids.get(1), 200, 4))).await().atMost(WAIT)).isTrue();
        deliveries.handOver(id, List.of(new Deliveries.Handover(ids.get(2), session, Instant.now().plusSeconds(3600),
                503, null, 5))).await().atMost(WAIT);
        assertThat(deliveries.advance(id, lane, at, List.of(new Deliveries.FirstAttempt(ids.get(3), 201, 6),
                new Deliveries.FirstAttempt(ids.get(4), 204, 7))).await().atMost(WAIT)).isTrue();
        // a replica that does not hold the cursor logs nothing
        assertThat(deliveries.advance(id, UUID.randomUUID(), at, List.of(new Deliveries.FirstAttempt(ids.get(0), 200,
                1))).await().atMost(WAIT)).isFalse();
        assertThat(Sql.count("select count(*) from gateway_delivery_runs where subscription_id = ?::uuid",
                subscription)).isEqualTo(2);

        // paged two at a time: every entry once, newest first, the retry's row between the two runs
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                    .queryParam("limit", 2).queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/api/v1/subscriptions/" + subscription + "/deliveries").then().statusCode(200)
                    .extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            assertThat(items.size()).isBetween(1, 2);
            items.forEach(item -> seen.add(item.get("eventId") + ":" + item.get("statusCode") + ":"
                    + item.get("attempt") + ":" + item.get("deliveryState") + ":" + item.get("durationMs")));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).containsExactly(ids.get(4) + ":204:1:delivered:7", ids.get(3) + ":201:1:delivered:6",
                ids.get(2) + ":503:1:pending:5", ids.get(1) + ":200:1:delivered:4", ids.get(0) + ":204:1:delivered:3");
        // one event's entries, from a run or from the attempt rows
        io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                .queryParam("eventId", ids.get(3)).get("/api/v1/subscriptions/" + subscription + "/deliveries")
                .then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(1))
                .body("items[0].statusCode", org.hamcrest.Matchers.equalTo(201));
        io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                .queryParam("eventId", ids.get(2)).get("/api/v1/subscriptions/" + subscription + "/deliveries")
                .then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(1))
                .body("items[0].statusCode", org.hamcrest.Matchers.equalTo(503));

        // retention drops runs made before its cutoff, and leaves the attempt rows of events still kept
        Sql.update("update gateway_delivery_runs set attempted_at = now() - interval '2 days' "
                + "where subscription_id = ?::uuid", subscription);
        deliveries.purge(Instant.now().minus(Duration.ofDays(1))).await().atMost(WAIT);
        assertThat(Sql.count("select count(*) from gateway_delivery_runs where subscription_id = ?::uuid",
                subscription)).isZero();
        assertThat(Sql.count("select count(*) from gateway_delivery_attempts where subscription_id = ?::uuid",
                subscription)).isEqualTo(1);
        deliveries.releaseCursors(lane).await().atMost(WAIT);
        io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                .delete("/api/v1/subscriptions/" + subscription).then().statusCode(204);
    }

    @Test
    void anEventDeletedBeforeItsHandOverIsLeftOutAndTheOthersAreQueued() {
        // the subscription's url is never called: its number's events are appended by hand below, numbered by the
        // sequencer, and handed over directly (as a lane does after a failed first attempt)
        String phone = EventLogTest.newPhoneNumberId();
        String subscription = subscribe("http://127.0.0.1:9/unused", EventLogTest.newPhoneNumberId());
        UUID id = UUID.fromString(subscription);
        UUID session = UUID.randomUUID();
        append(phone, session, "kept");
        append(phone, session, "erased");
        Awaitility.await().atMost(WAIT).until(() -> Sql.count(
                "select count(*) from gateway_events where phone_number_id = ? and id is not null", phone) == 2);
        long kept = Sql.count("select min(id) from gateway_events where phone_number_id = ?", phone);
        long erased = Sql.count("select max(id) from gateway_events where phone_number_id = ?", phone);
        // an erasure (or retention, or a session's deletion) removes an event the lane has read and not handed over
        Sql.update("delete from gateway_events where id = ?", erased);

        long parked = deliveries.handOver(id, List.of(
                new Deliveries.Handover(kept, session, Instant.now().plusSeconds(3600), 503, null, 5),
                Deliveries.Handover.untried(erased, session))).await().atMost(WAIT);

        assertThat(parked).isEqualTo(1);
        assertThat(Sql.rows("select event_id, state from gateway_event_deliveries where subscription_id = ?::uuid",
                subscription)).singleElement().satisfies(row -> assertThat(row).containsEntry("event_id", kept)
                        .containsEntry("state", "pending"));
        // handed over again (a retried hand-over): nothing doubles, and it still does not fail
        assertThat(deliveries.handOver(id, List.of(Deliveries.Handover.untried(erased, session))).await()
                .atMost(WAIT)).isZero();
        io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                .delete("/api/v1/subscriptions/" + subscription).then().statusCode(204);
    }

    @Test
    void aReactivatedSubscriptionGoesOnWithTheEventsNumberedFromThenOn() throws Exception {
        String phone = EventLogTest.newPhoneNumberId();
        UUID session = UUID.randomUUID();
        try (Receiver receiver = new Receiver(vertx, (id, attempt) -> 200)) {
            String subscription = subscribe(receiver.url(), phone);
            append(phone, session, "before");
            Awaitility.await().atMost(WAIT).until(() -> receiver.received().size() == 1);
            patchActive(subscription, false);
            append(phone, session, "while-inactive");
            Awaitility.await().atMost(WAIT).until(() -> Sql.count(
                    "select count(*) from gateway_events where phone_number_id = ? and id is not null", phone) == 2);
            patchActive(subscription, true);
            append(phone, session, "after");
            Awaitility.await().atMost(WAIT).until(() -> receiver.received().size() >= 2);
            Thread.sleep(300);
            List<String> labels = new ArrayList<>();
            for (Receiver.Received received : receiver.received()) {
                labels.add(label(received));
            }
            assertThat(labels).containsExactly("before", "after");
        }
    }

    private static void patchActive(String subscription, boolean active) {
        io.restassured.RestAssured.given().header("Authorization", EventLogTest.admin())
                .contentType(io.restassured.http.ContentType.JSON).body(Map.of("isActive", active))
                .patch("/api/v1/subscriptions/" + subscription).then().statusCode(200);
    }
}
