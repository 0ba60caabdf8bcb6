package io.wagateway.webhook;

import static io.wagateway.webhook.WebhookGroupCommitTest.activeRequests;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wagateway.support.Sql;
import io.wagateway.support.TestDatabase;
import io.wagateway.support.Webhooks;
import io.wagateway.webhook.WebhookGroupCommitTest.Batches;

/**
 * Light load: while at most {@code ingest-solo-below} (4 here) messages are in flight, each gets its own statement
 * at once, beside a statement that hangs, even though {@code ingest-concurrency} is 1; past that, deliveries wait
 * and are grouped. With {@code ingest-solo-below=0} the first test times out (everything waits for the one slot).
 */
@QuarkusTest
@TestProfile(WebhookSoloWritesTest.SoloBelowFour.class)
class WebhookSoloWritesTest {

    public static class SoloBelowFour implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.whatsapp.ingest-concurrency", "1", "gateway.whatsapp.ingest-solo-below", "4");
        }
    }

    @Test
    void underLightLoadEachDeliveryIsWrittenAtOnceByItsOwnStatementThenGroupsFormAboveTheLimit() throws Exception {
        String holder = uniquePhone();
        Webhooks.post(Webhooks.inbound(holder, "Holder", Webhooks.text(holder, uniqueWamid(), 1768466300, "first")))
                .then().statusCode(200);
        String prefix = uniqueSenderPrefix();
        ExecutorService executor = Executors.newFixedThreadPool(16);
        try (Connection lock = TestDatabase.current().connect()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("select 1 from whatsapp_sessions where phone_number = '" + holder
                    + "' for update");
            // 1. The holder's delivery hangs on the lock, in the only group slot.
            List<Future<Integer>> held = new ArrayList<>();
            List<String> heldWamids = new ArrayList<>();
            String firstHeld = uniqueWamid();
            heldWamids.add(firstHeld);
            held.add(executor.submit(() -> Webhooks.post(Webhooks.inbound(holder, "Holder",
                    Webhooks.text(holder, firstHeld, 1768466301, "held"))).statusCode()));
            awaitLockWaiters(1);

            // 2. Other senders' deliveries, one after the other, are stored meanwhile: each by its own statement.
            Batches before = Batches.read();
            for (int i = 0; i < 3; i++) {
                String from = prefix + i;
                String wamid = uniqueWamid();
                Webhooks.post(Webhooks.inbound(from, "Light", Webhooks.text(from, wamid, 1768466400 + i, "light")))
                        .then().statusCode(200);
                assertThat(rowsFor(wamid)).isEqualTo(1);
            }
            assertThat(Batches.read().minus(before)).isEqualTo(new Batches(3, 3));
            assertThat(held.get(0).isDone()).isFalse();

            // 3. Three more for the holder: singles too (4 in flight), each hanging on the lock in parallel.
            for (int i = 0; i < 3; i++) {
                String wamid = uniqueWamid();
                heldWamids.add(wamid);
                int n = i;
                held.add(executor.submit(() -> Webhooks.post(Webhooks.inbound(holder, "Holder",
                        Webhooks.text(holder, wamid, 1768466302 + n, "held " + n))).statusCode()));
                awaitLockWaiters(2 + i);
            }

            // 4. Past the limit: six deliveries wait (no statement), although their senders are not locked.
            double busy = activeRequests();
            List<String> waitingWamids = new ArrayList<>();
            List<Future<Integer>> waiting = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String from = prefix + (3 + i % 2);
                String wamid = uniqueWamid();
                waitingWamids.add(wamid);
                int n = i;
                waiting.add(executor.submit(() -> Webhooks.post(Webhooks.inbound(from, "Heavy",
                        Webhooks.text(from, wamid, 1768466500 + n, "heavy " + n))).statusCode()));
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> activeRequests() >= busy + 6);
            Thread.sleep(300);
            assertThat(waiting).noneMatch(Future::isDone);
            assertThat(waitingWamids).allSatisfy(wamid -> assertThat(rowsFor(wamid)).isZero());
            Batches beforeRelease = Batches.read();

            lock.rollback();
            for (Future<Integer> answer : held) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            }
            for (Future<Integer> answer : waiting) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            }
            heldWamids.forEach(wamid -> assertThat(rowsFor(wamid)).as(wamid).isEqualTo(1));
            waitingWamids.forEach(wamid -> assertThat(rowsFor(wamid)).as(wamid).isEqualTo(1));
            // The six were written as one group, once the four singles were done.
            assertThat(Batches.read().minus(beforeRelease)).isEqualTo(new Batches(1, 6));
        } finally {
            executor.shutdownNow();
        }
    }

    private static void awaitLockWaiters(long count) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Sql.count("""
                select count(*) from pg_stat_activity where wait_event_type = 'Lock'
                and datname = current_database()""") >= count);
    }
}
