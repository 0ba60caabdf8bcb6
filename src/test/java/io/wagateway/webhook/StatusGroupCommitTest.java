package io.wagateway.webhook;

import static io.restassured.RestAssured.given;
import static io.wagateway.webhook.WebhookResourceTest.message;
import static io.wagateway.webhook.WebhookResourceTest.uniquePhone;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wagateway.support.ManagementPort;
import io.wagateway.support.Poison;
import io.wagateway.support.Sql;
import io.wagateway.support.TestDatabase;
import io.wagateway.support.Webhooks;

/**
 * Group commit of statuses for real: one statement slot, held by a status whose message row this test locks, so
 * every status delivery that arrives meanwhile must wait and be applied together with the others once the lock
 * goes. Without grouping the statement counts fail; with a wrong merge of a group the final statuses, the pending
 * rows or the events do.
 */
@QuarkusTest
@TestProfile(StatusGroupCommitTest.OneStatementAtATime.class)
class StatusGroupCommitTest {

    public static class OneStatementAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // status-solo-below 0: no light-load singles, every waiting status is grouped
            return Map.of("gateway.whatsapp.ingest-concurrency", "1", "gateway.whatsapp.ingest-max-waiting", "200",
                    "gateway.whatsapp.ingest-solo-below", "0", "gateway.whatsapp.status-solo-below", "0");
        }
    }

    private static final String[] FORWARD = { "sent", "delivered", "read" };
    private static final String FAILED = """
            {"id":"%s","status":"failed","timestamp":"%d","recipient_id":"447700900123","errors":[{"code":131047,
            "title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"More than \
            24 hours have passed since the recipient last replied to the sender number."}}]}""";

    @Test
    void shuffledStatusesOfManyMessagesAreAppliedTogetherAtTheirHighestRank() throws Exception {
        String from = uniquePhone();
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String wamid = uniqueWamid();
            stored.add(wamid);
            Webhooks.post(Webhooks.inbound(from, "Mix", Webhooks.text(from, wamid, 1768466400 + i, "m" + i)))
                    .then().statusCode(200);
        }
        List<String> early = List.of(uniqueWamid(), uniqueWamid(), uniqueWamid());
        long eventsBefore = statusEvents(stored);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            // every message gets sent, delivered, read, the last one fails after delivered
            int upTo = i == stored.size() - 1 ? 2 : 3;
            for (int r = 0; r < upTo; r++) {
                bodies.add(Webhooks.statuses(Webhooks.status(stored.get(i), FORWARD[r], 1768467000 + r)));
            }
            if (i == stored.size() - 1) {
                bodies.add(Webhooks.statuses(FAILED.formatted(stored.get(i), 1768467005)));
            }
        }
        for (String wamid : early) {
            bodies.add(Webhooks.statuses(Webhooks.status(wamid, "sent", 1768467000)));
            bodies.add(Webhooks.statuses(Webhooks.status(wamid, "delivered", 1768467001)));
        }
        // Meta's redeliveries and its disorder
        bodies.add(bodies.get(0));
        bodies.add(bodies.get(4));
        Collections.shuffle(bodies, new Random(17));

        Burst burst = whileTheSlotIsHeld(bodies);

        assertThat(burst.answers()).hasSize(bodies.size()).containsOnly(200);
        assertThat(burst.batches().statuses()).isEqualTo(bodies.size() + 1);
        assertThat(burst.batches().statements()).as("the holder's statement, then one group").isEqualTo(2);
        for (int i = 0; i < stored.size() - 1; i++) {
            assertThat(message(stored.get(i)).get("status")).as(stored.get(i)).isEqualTo("read");
        }
        Map<String, Object> failed = message(stored.get(stored.size() - 1));
        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat((String) failed.get("status_errors")).contains("131047");
        for (String wamid : early) {
            assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid))
                    .as("both kept for " + wamid).isEqualTo(2);
        }
        // one forward move per message in the group (its highest status), the holder's own move besides
        assertThat(statusEvents(stored) - eventsBefore).isEqualTo(stored.size());
        // A redelivery now moves nothing.
        Webhooks.post(bodies.get(0)).then().statusCode(200);
        assertThat(statusEvents(stored) - eventsBefore).isEqualTo(stored.size());
    }

    @Test
    void aStatusPostgresRefusesIsADeadLetterAndTheGroupIsAppliedOneByOne() throws Exception {
        Poison.install();
        String from = uniquePhone();
        List<String> stored = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String wamid = uniqueWamid();
            stored.add(wamid);
            Webhooks.post(Webhooks.inbound(from, "Poison", Webhooks.text(from, wamid, 1768466400 + i, "p" + i)))
                    .then().statusCode(200);
            bodies.add(Webhooks.statuses(Webhooks.status(wamid, "delivered", 1768467000 + i)));
        }
        // its pending row is refused with a data error (22021, as for a NUL in text)
        String poisoned = Poison.statusWamid("22021");
        bodies.add(3, Webhooks.statuses(Webhooks.status(poisoned, "sent", 1768467000)));

        List<String> refusals;
        Burst burst;
        try (WebhookGroupCommitTest.LogCapture log = new WebhookGroupCommitTest.LogCapture(StatusWriter.class)) {
            burst = whileTheSlotIsHeld(bodies);
            refusals = log.messages("statuses was refused");
        }
        assertThat(burst.answers()).containsOnly(200);
        assertThat(burst.batches().statements()).as("the holder, the group, then one by one").isEqualTo(2);
        assertThat(refusals).hasSize(1);
        assertThat(refusals.get(0)).contains("group of 9").contains("22021");
        assertThat(stored).allSatisfy(wamid -> assertThat(message(wamid).get("status")).isEqualTo("delivered"));
        assertThat(Sql.row("select kind, sqlstate from whatsapp_dead_letters where wamid = ?", poisoned))
                .containsEntry("kind", "status").containsEntry("sqlstate", "22021");
    }

    @Test
    void aDeliveryOfSeveralStatusesIsAnsweredWhenAllOfThemAreApplied() throws Exception {
        String from = uniquePhone();
        String first = uniqueWamid();
        String second = uniqueWamid();
        Webhooks.post(Webhooks.inbound(from, "Two", Webhooks.text(from, first, 1768466400, "one"))).then().statusCode(200);
        Webhooks.post(Webhooks.inbound(from, "Two", Webhooks.text(from, second, 1768466401, "two"))).then().statusCode(200);
        String unknown = uniqueWamid();
        Webhooks.post(Webhooks.statuses(Webhooks.status(first, "delivered", 1768467000),
                Webhooks.status(second, "read", 1768467001), Webhooks.status(first, "sent", 1768466999),
                Webhooks.status(unknown, "sent", 1768467002)))
                .then().statusCode(200)
                .body("statusesApplied", org.hamcrest.Matchers.equalTo(2))
                .body("statusesPending", org.hamcrest.Matchers.equalTo(1));
        assertThat(message(first).get("status")).isEqualTo("delivered");
        assertThat(message(second).get("status")).isEqualTo("read");
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static long statusEvents(List<String> wamids) {
        return Sql.count("select count(*) from gateway_events where type = 'whatsapp.message.status' "
                + "and data->>'messageId' = any(?)", (Object) wamids.toArray(new String[0]));
    }

    /**
     * Posts {@code bodies} concurrently while the only status statement slot is held by a status whose message row
     * is locked here; waits until they are all in, then releases the lock.
     */
    private static Burst whileTheSlotIsHeld(List<byte[]> bodies) throws Exception {
        String holder = uniquePhone();
        String held = uniqueWamid();
        Webhooks.post(Webhooks.inbound(holder, "Holder", Webhooks.text(holder, held, 1768466300, "first")))
                .then().statusCode(200);
        Batches before = Batches.read();
        ExecutorService executor = Executors.newFixedThreadPool(bodies.size() + 1);
        try (Connection lock = TestDatabase.current().connect()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("select 1 from whatsapp_messages where message_id = '" + held
                    + "' for update");
            byte[] holderStatus = Webhooks.statuses(Webhooks.status(held, "delivered", 1768466400));
            Future<Integer> holderAnswer = executor.submit(() -> Webhooks.post(holderStatus).statusCode());
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Sql.count("""
                    select count(*) from pg_stat_activity where wait_event_type = 'Lock'
                    and datname = current_database()""") > 0);
            double busy = WebhookGroupCommitTest.activeRequests();
            List<Future<Integer>> answers = new ArrayList<>();
            for (byte[] body : bodies) {
                answers.add(executor.submit(() -> Webhooks.post(body).statusCode()));
            }
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> WebhookGroupCommitTest.activeRequests() >= busy + bodies.size());
            Thread.sleep(300);
            assertThat(answers.stream().filter(Future::isDone).count()).isZero();
            lock.rollback();
            assertThat(holderAnswer.get()).isEqualTo(200);
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return new Burst(statuses, Batches.read().minus(before));
        } finally {
            executor.shutdownNow();
        }
    }

    private record Burst(List<Integer> answers, Batches batches) {
    }

    /** whatsapp_webhook_ingest_status_batch: statements ({@code _count}) and statuses in them ({@code _sum}). */
    private record Batches(long statements, long statuses) {

        static Batches read() {
            String metrics = given().get(ManagementPort.url("/q/metrics")).then().statusCode(200).extract().asString();
            return new Batches(value(metrics, "whatsapp_webhook_ingest_status_batch_count"),
                    value(metrics, "whatsapp_webhook_ingest_status_batch_sum"));
        }

        Batches minus(Batches before) {
            return new Batches(statements - before.statements, statuses - before.statuses);
        }

        private static long value(String metrics, String name) {
            Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
            return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
        }
    }
}
