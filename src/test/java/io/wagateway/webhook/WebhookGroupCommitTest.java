package io.wagateway.webhook;

import static io.restassured.RestAssured.given;
import static io.wagateway.webhook.WebhookResourceTest.message;
import static io.wagateway.webhook.WebhookResourceTest.rowsFor;
import static io.wagateway.webhook.WebhookResourceTest.uniquePhone;
import static io.wagateway.webhook.WebhookResourceTest.uniqueSenderPrefix;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wagateway.support.ManagementPort;
import io.wagateway.support.Sql;
import io.wagateway.support.TestDatabase;
import io.wagateway.support.Webhooks;

/**
 * Group commit for real: one statement slot, held by a delivery whose session row this test locks, so every
 * delivery that arrives meanwhile must wait and be written together with the others once the lock goes.
 * Without grouping (or with {@code ingest-batch-size=1}) the metric assertions fail.
 */
@QuarkusTest
@TestProfile(WebhookGroupCommitTest.OneStatementAtATime.class)
class WebhookGroupCommitTest {

    public static class OneStatementAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // solo-below 0: no light-load singles, every waiting delivery is grouped (WebhookSoloWritesTest has them)
            return Map.of("gateway.whatsapp.ingest-concurrency", "1", "gateway.whatsapp.ingest-max-waiting", "60",
                    "gateway.whatsapp.ingest-solo-below", "0");
        }
    }

    private static final String GROUP_REFUSED = "inbound messages was refused";

    @Test
    void fiftyWaitingDeliveriesFromFiveSendersAreWrittenTogether() throws Exception {
        String prefix = uniqueSenderPrefix();
        List<byte[]> bodies = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String from = prefix + (i % 5);
            String wamid = uniqueWamid();
            wamids.add(wamid);
            bodies.add(Webhooks.inbound(from, "Sender " + (i % 5), Webhooks.text(from, wamid, 1768466400 + i, "m" + i)));
        }
        Burst burst = whileTheSlotIsHeld(bodies);
        List<Integer> answers = burst.statuses();
        Batches grouped = burst.batches();

        assertThat(answers).hasSize(50).containsOnly(200);
        assertThat(wamids).allSatisfy(wamid -> assertThat(rowsFor(wamid)).as(wamid).isEqualTo(1));
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number like ?", prefix + "%"))
                .isEqualTo(5);
        assertThat(Sql.count("select count(*) from customer_profiles where wa_id like ?", prefix + "%")).isEqualTo(5);
        for (int s = 0; s < 5; s++) {
            Map<String, Object> session = Sql.row("""
                    select s.last_message_at, s.last_inbound_at, p.display_name, count(m.id) as messages
                    from whatsapp_sessions s join customer_profiles p on p.id = s.customer_profile_id
                    join whatsapp_messages m on m.session_id = s.id where s.phone_number = ?
                    group by s.id, p.id""", prefix + s);
            assertThat(session.get("messages")).isEqualTo(10L);
            assertThat(session.get("display_name")).isEqualTo("Sender " + s);
            // The sender's latest message is number 45 + s.
            assertThat(((java.sql.Timestamp) session.get("last_message_at")).toInstant().getEpochSecond())
                    .isEqualTo(1768466400L + 45 + s);
            assertThat(session.get("last_inbound_at")).isEqualTo(session.get("last_message_at"));
        }
        // The holder's statement alone, then the fifty in one group.
        assertThat(grouped.messages()).isEqualTo(51);
        assertThat(grouped.statements()).isEqualTo(2);
    }

    @Test
    void redeliveriesWaitingWithDistinctMessagesStoreOneRowPerWamid() throws Exception {
        String prefix = uniqueSenderPrefix();
        List<byte[]> bodies = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String from = prefix + (i % 3);
            String wamid = uniqueWamid();
            wamids.add(wamid);
            byte[] body = Webhooks.inbound(from, "Twice", Webhooks.text(from, wamid, 1768466400 + i, "again " + i));
            bodies.add(body);
            bodies.add(body);
            if (i % 2 == 0) {
                bodies.add(body);
            }
        }
        Burst burst = whileTheSlotIsHeld(bodies);
        List<Integer> answers = burst.statuses();
        Batches grouped = burst.batches();

        assertThat(answers).containsOnly(200);
        assertThat(wamids).allSatisfy(wamid -> assertThat(rowsFor(wamid)).as(wamid).isEqualTo(1));
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number like ?", prefix + "%"))
                .isEqualTo(3);
        assertThat(grouped.messages()).isEqualTo(bodies.size() + 1);
        assertThat(grouped.statements()).isEqualTo(2);
        // Every one of them was stored or recognised: a redelivery now is a duplicate.
        Webhooks.post(bodies.get(0)).then().statusCode(200).body("duplicates", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void aNulInOneWaitingDeliveryCostsNobodyAnything() throws Exception {
        String prefix = uniqueSenderPrefix();
        List<byte[]> bodies = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String from = prefix + (i % 4);
            String wamid = uniqueWamid();
            wamids.add(wamid);
            String text = i == 7 ? "poi\\u0000son" : "fine " + i;
            bodies.add(Webhooks.inbound(from, i == 7 ? "N\\u0000L" : "Fine", Webhooks.text(from, wamid,
                    1768466400 + i, text)));
        }
        List<String> refusals;
        List<Integer> answers;
        try (LogCapture log = new LogCapture()) {
            answers = whileTheSlotIsHeld(bodies).statuses();
            refusals = log.messages(GROUP_REFUSED);
        }
        assertThat(answers).containsOnly(200);
        assertThat(wamids).allSatisfy(wamid -> assertThat(rowsFor(wamid)).as(wamid).isEqualTo(1));
        assertThat(message(wamids.get(7)).get("content")).isEqualTo("poi\uFFFDson");
        assertThat((String) message(wamids.get(7)).get("metadata")).contains("\"contactName\": \"N\uFFFDL\"");
        assertThat(refusals).as("the group statement itself succeeded").isEmpty();
    }

    @Test
    void aRowPostgresRefusesIsADeadLetterAndTheGroupIsWrittenOneByOne() throws Exception {
        io.wagateway.support.Poison.install();
        String prefix = uniqueSenderPrefix();
        List<byte[]> bodies = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String from = prefix + (i % 3);
            String wamid = uniqueWamid();
            wamids.add(wamid);
            // PostgreSQL refuses the sixth message's row with a data error (54000, as for an index row too large).
            String text = i == 5 ? io.wagateway.support.Poison.content("54000") : "t" + i;
            bodies.add(Webhooks.inbound(from, "Group", Webhooks.text(from, wamid, 1768466400 + i, text)));
        }
        List<String> refusals;
        Burst burst;
        try (LogCapture log = new LogCapture()) {
            burst = whileTheSlotIsHeld(bodies);
            refusals = log.messages(GROUP_REFUSED);
        }
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(burst.statuses().get(i)).as("delivery " + i).isEqualTo(200);
            assertThat(rowsFor(wamids.get(i))).as("delivery " + i).isEqualTo(i == 5 ? 0 : 1);
        }
        assertThat(burst.batches().statements()).as("the twelve were one group").isEqualTo(2);
        assertThat(refusals).as("the group was refused once, then written one by one").hasSize(1);
        assertThat(refusals.get(0)).contains("group of 12").contains("54000");
        assertThat(Sql.row("select kind, sqlstate from whatsapp_dead_letters where wamid = ?", wamids.get(5)))
                .containsEntry("kind", "message").containsEntry("sqlstate", "54000");
        // The refused message's sender still got its session from the others, with their times only.
        assertThat(((java.sql.Timestamp) Sql.row("select last_message_at from whatsapp_sessions where phone_number = ?",
                prefix + 2).get("last_message_at")).toInstant().getEpochSecond()).isEqualTo(1768466400L + 11);
    }

    @Test
    void aMessageWithAnAbsurdlyLongWamidIsSkippedNotRetriedForever() {
        String from = uniqueSenderPrefix() + "0";
        String huge = "wamid.HUGE" + "0123456789abcdef".repeat(500);
        Webhooks.post(Webhooks.inbound(from, "Long", Webhooks.text(from, huge, 1768466400, "never storable")))
                .then().statusCode(200).body("stored", org.hamcrest.Matchers.is(0));
        assertThat(Sql.count("select count(*) from whatsapp_messages where length(message_id) > 1024")).isZero();
    }

    @Test
    void deliveriesBeyondTheBacklogLimitAreAnswered503AtOnceAndTheOthersStored() throws Exception {
        String prefix = uniqueSenderPrefix();
        List<byte[]> bodies = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            String from = prefix + (i % 7);
            String wamid = uniqueWamid();
            wamids.add(wamid);
            bodies.add(Webhooks.inbound(from, "Backlog", Webhooks.text(from, wamid, 1768466400 + i, "b" + i)));
        }
        Burst burst = whileTheSlotIsHeld(bodies, 10);

        // ingest-max-waiting is 60 in this profile: ten were refused while sixty waited
        assertThat(burst.statuses().stream().filter(s -> s == 503).count()).isEqualTo(10);
        assertThat(burst.statuses().stream().filter(s -> s == 200).count()).isEqualTo(60);
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(rowsFor(wamids.get(i))).as("delivery " + i).isEqualTo(burst.statuses().get(i) == 200 ? 1 : 0);
        }
        assertThat(burst.batches().messages()).isEqualTo(61);
        // Meta's retry of a refused delivery is stored once the backlog is gone.
        int refused = burst.statuses().indexOf(503);
        Webhooks.post(bodies.get(refused)).then().statusCode(200);
        assertThat(rowsFor(wamids.get(refused))).isEqualTo(1);
    }

    // --- helpers ----------------------------------------------------------------------------------

    /**
     * Posts {@code bodies} concurrently while the only statement slot is held by a delivery that waits for a
     * session row locked here, waits until they are all in, then releases the lock; returns their statuses.
     */
    static Burst whileTheSlotIsHeld(List<byte[]> bodies) throws Exception {
        return whileTheSlotIsHeld(bodies, 0);
    }

    /** The same, when {@code refused} of the bodies are over the backlog limit and answered at once. */
    static Burst whileTheSlotIsHeld(List<byte[]> bodies, int refused) throws Exception {
        String holder = uniquePhone();
        Webhooks.post(Webhooks.inbound(holder, "Holder", Webhooks.text(holder, uniqueWamid(), 1768466300, "first")))
                .then().statusCode(200);
        Batches before = Batches.read();
        byte[] held = Webhooks.inbound(holder, "Holder", Webhooks.text(holder, uniqueWamid(), 1768466301, "held"));
        ExecutorService executor = Executors.newFixedThreadPool(bodies.size() + 1);
        try (Connection lock = TestDatabase.current().connect()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("select 1 from whatsapp_sessions where phone_number = '" + holder
                    + "' for update");
            Future<Integer> holderAnswer = executor.submit(() -> Webhooks.post(held).statusCode());
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Sql.count("""
                    select count(*) from pg_stat_activity where wait_event_type = 'Lock'
                    and datname = current_database()""") > 0);
            double busy = activeRequests();
            List<Future<Integer>> answers = new ArrayList<>();
            for (byte[] body : bodies) {
                answers.add(executor.submit(() -> Webhooks.post(body).statusCode()));
            }
            // Every delivery is in (the answers wait for the slot, or were refused at once as over the backlog
            // limit); a moment more for the last to queue.
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> activeRequests() >= busy + bodies.size()
                    - refused && answers.stream().filter(Future::isDone).count() == refused);
            Thread.sleep(300);
            assertThat(answers.stream().filter(Future::isDone).count()).isEqualTo(refused);
            lock.rollback();
            assertThat(holderAnswer.get()).isEqualTo(200);
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            // Each statement is counted before it runs, so all are in once every delivery is answered.
            return new Burst(statuses, Batches.read().minus(before));
        } finally {
            executor.shutdownNow();
        }
    }

    /** The answers of a burst, and the statements that wrote it (the holder's included). */
    record Burst(List<Integer> statuses, Batches batches) {
    }

    private static final Pattern ACTIVE = Pattern.compile("(?m)^http_server_active_requests(?:\\{[^}]*})? (\\S+)$");

    static double activeRequests() {
        Matcher m = ACTIVE.matcher(given().get(ManagementPort.url("/q/metrics")).then().statusCode(200).extract().asString());
        double active = 0;
        while (m.find()) {
            active += Double.parseDouble(m.group(1));
        }
        return active;
    }

    /** whatsapp_webhook_ingest_batch: statements written ({@code _count}) and messages in them ({@code _sum}). */
    record Batches(long statements, long messages) {

        static Batches read() {
            String metrics = given().get(ManagementPort.url("/q/metrics")).then().statusCode(200).extract().asString();
            return new Batches(value(metrics, "whatsapp_webhook_ingest_batch_count"),
                    value(metrics, "whatsapp_webhook_ingest_batch_sum"));
        }

        Batches minus(Batches before) {
            return new Batches(statements - before.statements, messages - before.messages);
        }

        private static long value(String metrics, String name) {
            Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
            // Registered with the first delivery: absent before, zero then.
            return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
        }
    }

    /** A group writer's log records while open (the test runs in the application's JVM). */
    static final class LogCapture extends Handler implements AutoCloseable {

        private final java.util.logging.Logger logger;
        private final List<String> messages = new CopyOnWriteArrayList<>();

        LogCapture() {
            this(InboundWriter.class);
        }

        LogCapture(Class<?> writer) {
            logger = java.util.logging.Logger.getLogger(writer.getName());
            logger.addHandler(this);
        }

        List<String> messages(String containing) {
            return messages.stream().filter(m -> m.contains(containing)).toList();
        }

        @Override
        public void publish(LogRecord record) {
            messages.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
