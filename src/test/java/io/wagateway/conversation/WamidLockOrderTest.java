package io.wagateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.conversation.ConversationWrites.CoexistenceRow;
import io.wagateway.support.Sql;
import io.wagateway.support.TestDatabase;

/**
 * A transaction of several coexistence messages takes its wamids' locks in the order a status group takes them
 * (gateway_apply_statuses: by key), before anything else, so the two never wait for each other in a cycle. The
 * other transaction here stands for a status group: it holds the lock of the wamid with the lower key and then asks
 * for the other one.
 */
@QuarkusTest
class WamidLockOrderTest {

    @Inject
    ConversationWrites writes;

    private static long key(String wamid) {
        return Sql.count("select hashtext(?)", wamid);
    }

    private static CoexistenceRow echo(String phone, String wamid) {
        return new CoexistenceRow(phone, null, null, null, "118234567890123", Instant.now(), wamid,
                MessageDirection.OUTBOUND, "from the app", "text", "{\"echo\":true}", MessageStatus.SENT, null,
                "whatsapp.message.sent");
    }

    @Test
    void severalMessagesTakeTheirWamidLocksInTheStatusGroupsOrder() throws Exception {
        String phone = "31" + System.nanoTime() % 1_000_000_000L;
        // first in the customer order (by wamid), last in the key order: the order that could close a cycle
        String first;
        String second;
        do {
            String suffix = UUID.randomUUID().toString();
            first = "wamid.LOCKA" + suffix;
            second = "wamid.LOCKB" + suffix;
        } while (key(second) >= key(first));

        try (Connection group = TestDatabase.current().connect(); Statement sql = group.createStatement()) {
            group.setAutoCommit(false);
            sql.execute("select pg_advisory_xact_lock(hashtext('" + second + "'))");

            CompletableFuture<Integer> stored = writes.storeCoexistence(List.of(echo(phone, first),
                    echo(phone, second))).subscribeAsCompletionStage();
            Thread.sleep(300);
            assertThat(stored).as("waits for the lock the group holds").isNotDone();

            // the group asks for the other lock: free, since the messages' transaction took nothing before it. Were
            // it held, this session would find the cycle first (its deadlock_timeout is the shorter) and fail.
            sql.execute("set local lock_timeout = '3s'");
            sql.execute("set local deadlock_timeout = '50ms'");
            long asked = System.nanoTime();
            sql.execute("select pg_advisory_xact_lock(hashtext('" + first + "'))");
            assertThat(Duration.ofNanos(System.nanoTime() - asked))
                    .as("granted at once").isLessThan(Duration.ofMillis(800));
            group.commit();

            assertThat(stored.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        }
        assertThat(Sql.count("select count(*) from whatsapp_messages where message_id in (?, ?)", first, second))
                .isEqualTo(2);
    }
}
