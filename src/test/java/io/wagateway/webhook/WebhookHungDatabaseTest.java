package io.wagateway.webhook;

import static io.wagateway.webhook.WebhookResourceTest.rowsFor;
import static io.wagateway.webhook.WebhookResourceTest.uniquePhone;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wagateway.support.PostgresTestResource;
import io.wagateway.support.Webhooks;

/**
 * A database that stops answering (the proxy in front of it frozen, connections open): deliveries answered 503
 * leave nothing queued and give their bytes back to the body budget, deliveries of several items wait under the
 * same bound as lone messages, and a wait for a pooled connection ends before the ingest timeout.
 */
@QuarkusTest
@TestProfile(WebhookHungDatabaseTest.HangingDatabase.class)
class WebhookHungDatabaseTest {

    public static class HangingDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // one group slot, no light-load singles: every delivery after the first waits in the queue; two pooled
            // connections, so that two hung transactions leave the next one waiting for a connection (the history
            // import's look for chunks and the media downloads and sweep, which would hold one of them, are kept out
            // of the way)
            return Map.ofEntries(Map.entry("gateway.history.interval", "1h"),
                    Map.entry("gateway.media.downloads-enabled", "false"),
                    Map.entry("gateway.media.orphan-sweep-interval", "1h"),
                    Map.entry("quarkus.datasource.reactive.max-size", "2"),
                    Map.entry("gateway.whatsapp.ingest-concurrency", "1"),
                    Map.entry("gateway.whatsapp.ingest-solo-below", "0"),
                    Map.entry("gateway.whatsapp.ingest-max-waiting", "8"),
                    Map.entry("gateway.whatsapp.ingest-timeout", "6s"),
                    Map.entry("gateway.whatsapp.pool-acquire-timeout", "2s"),
                    Map.entry("gateway.whatsapp.secrets-cache-ttl", "10m"));
        }
    }

    @Inject
    InboundBatcher batcher;
    @Inject
    BodyBudget budget;

    private final ExecutorService clients = Executors.newFixedThreadPool(16);

    @BeforeEach
    void warm() {
        // the secrets snapshot is read once while the database answers, so only the writes hang below
        String from = uniquePhone();
        Webhooks.post(Webhooks.inbound(from, "Warm", Webhooks.text(from, uniqueWamid(), 1768466400, "warm")))
                .then().statusCode(200);
    }

    @AfterEach
    void thaw() {
        PostgresTestResource.proxy().thaw();
        clients.shutdownNow();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> batcher.waiting() == 0 && budget.used() == 0);
    }

    @Test
    void deliveriesAnswered503LeaveTheQueueAndTheBudget() throws Exception {
        PostgresTestResource.proxy().freeze();
        List<Future<Integer>> answers = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String from = uniquePhone();
            String wamid = uniqueWamid();
            wamids.add(wamid);
            // large enough to matter, small enough for the budget's reserve-free part many times over
            byte[] body = Webhooks.inbound(from, "Hung", Webhooks.text(from, wamid, 1768466400, "x".repeat(200_000)));
            answers.add(clients.submit(() -> Webhooks.post(body).statusCode()));
        }
        for (Future<Integer> answer : answers) {
            assertThat(answer.get()).isEqualTo(503);
        }
        // one is in the hung statement (its bytes still charged); the five that waited behind it were dropped
        assertThat(batcher.waiting()).isZero();
        // a lease is released when its exchange has ended, which may be just after the client read the answer
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> budget.used() < 2 * 200_000L);

        PostgresTestResource.proxy().thaw();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> budget.used() == 0);
        assertThat(wamids.stream().filter(wamid -> rowsFor(wamid) == 1).count())
                .as("only the message already being written when its delivery gave up is stored").isEqualTo(1);
    }

    @Test
    void deliveriesOfSeveralItemsWaitUnderTheSameBound() throws Exception {
        PostgresTestResource.proxy().freeze();
        List<Future<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] body = twoMessages();
            waiting.add(clients.submit(() -> Webhooks.post(body).statusCode()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> batcher.waiting() == 8);
        long started = System.nanoTime();
        Webhooks.post(twoMessages()).then().statusCode(503).header("Retry-After", "5");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once, not after a wait")
                .isLessThan(Duration.ofMillis(1_500));
        for (Future<Integer> answer : waiting) {
            assertThat(answer.get()).isEqualTo(503);
        }
    }

    @Test
    void aWaitForAPooledConnectionEndsBeforeTheIngestTimeout() {
        PostgresTestResource.proxy().freeze();
        // both pooled connections busy with a transaction that hangs, so the next one must wait for a connection
        List<Future<Integer>> holders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            byte[] body = twoMessages();
            holders.add(clients.submit(() -> Webhooks.post(body).statusCode()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> batcher.waiting() == 2);
        long started = System.nanoTime();
        Webhooks.post(twoMessages()).then().statusCode(503);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("the pool's acquisition timeout, not the ingest timeout")
                .isBetween(Duration.ofMillis(1_500), Duration.ofMillis(4_500));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> holders.stream().allMatch(Future::isDone));
    }

    /** A delivery of two messages: one transaction of its own (statuses alone go to their own group commit). */
    private static byte[] twoMessages() {
        String from = uniquePhone();
        return Webhooks.inbound(from, "Two", Webhooks.text(from, uniqueWamid(), 1768466400, "one") + ","
                + Webhooks.text(from, uniqueWamid(), 1768466401, "two"));
    }
}
