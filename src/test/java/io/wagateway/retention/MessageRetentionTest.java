package io.wagateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.wagateway.support.Metrics;
import io.wagateway.support.Sql;

/** Messages older than their retention are dropped in bounded batches; sessions and recent messages stay. */
@QuarkusTest
class MessageRetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    MessageRetention retention;

    /** A session of its own with {@code count} messages through {@code number}, {@code ageDays} old. */
    private static String session(String number, int count, int ageDays) {
        String session = UUID.randomUUID().toString();
        Sql.update(
                "insert into whatsapp_sessions (id, phone_number, phone_number_id, updated_at) values (?::uuid, ?, ?, now())",
                session, "+" + Math.abs(UUID.randomUUID().getMostSignificantBits()), number);
        addMessages(session, number, count, ageDays);
        return session;
    }

    private static void addMessages(String session, String number, int count, int ageDays) {
        Sql.update("""
                insert into whatsapp_messages (session_id, message_id, direction, content, phone_number_id, wa_timestamp)
                select ?::uuid, 'wamid.RET' || gen_random_uuid(), 'INBOUND', 'x', ?, now() - make_interval(days => ?)
                from generate_series(1, ?) n""", session, number, ageDays, count);
    }

    private static String number() {
        return "ret" + UUID.randomUUID();
    }

    private static void override(String number, String interval) {
        Sql.update("insert into gateway_retention_overrides (phone_number_id, messages) values (?, ?::interval)",
                number, interval);
    }

    private static long messages(String session) {
        return Sql.count("select count(*) from whatsapp_messages where session_id = ?::uuid", session);
    }

    @Test
    void oldMessagesGoRecentOnesAndTheSessionStay() {
        // Older than the default (ten years); nothing else in the test database is.
        String number = number();
        String session = session(number, 3, 4000);
        addMessages(session, number, 2, 10);
        String wamid = Sql.row("select message_id from whatsapp_messages where session_id = ?::uuid "
                + "order by wa_timestamp limit 1", session).get("message_id").toString();
        Sql.update("insert into whatsapp_pending_statuses (message_id, status, status_rank, payload) "
                + "values (?, 'read', 3, '{}')", wamid);
        double before = Metrics.series("gateway_retention_deleted_total{table=\"whatsapp_messages\"}");

        assertThat(retention.run(Duration.ofDays(3650), 1000).await().atMost(WAIT)).isEqualTo(3);

        assertThat(messages(session)).isEqualTo(2);
        assertThat(Sql.count("select count(*) from whatsapp_sessions where id = ?::uuid", session)).isEqualTo(1);
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid)).isZero();
        assertThat(Metrics.series("gateway_retention_deleted_total{table=\"whatsapp_messages\"}") - before)
                .isEqualTo(3);
    }

    @Test
    void aNumbersOverrideWinsOverTheDefault() {
        String shorter = number();
        String longer = number();
        override(shorter, "5 days");
        override(longer, "100 days");
        String shortSession = session(shorter, 2, 10);
        String longSession = session(longer, 2, 50);
        String defaultSession = session(number(), 2, 50);

        // Default 30 days: the 10-day-old ones go (override 5 days), the 50-day-old ones of the longer number stay.
        retention.run(Duration.ofDays(30), 1000).await().atMost(WAIT);

        assertThat(messages(shortSession)).isZero();
        assertThat(messages(longSession)).isEqualTo(2);
        assertThat(messages(defaultSession)).isZero();
    }

    @Test
    void withoutADefaultOnlyOverriddenNumbersAreTrimmed() {
        String overridden = number();
        override(overridden, "1 day");
        String trimmed = session(overridden, 1, 3);
        String kept = session(number(), 1, 3);

        retention.run(null, 1000).await().atMost(WAIT);

        assertThat(messages(trimmed)).isZero();
        assertThat(messages(kept)).isEqualTo(1);
    }

    @Test
    void batchesAreBoundedAndConcurrentRunsCountEachRowOnce() {
        String number = number();
        override(number, "1 day");
        String session = session(number, 250, 3);
        double before = Metrics.series("gateway_retention_deleted_total{table=\"whatsapp_messages\"}");

        // Batches of 7, two runs at once: together they drop each row once, and neither waits for the other.
        long dropped = Uni.combine().all().unis(retention.run(null, 7), retention.run(null, 7))
                .with((a, b) -> a + b).await().atMost(WAIT);

        assertThat(dropped).isEqualTo(250);
        assertThat(messages(session)).isZero();
        assertThat(Metrics.series("gateway_retention_deleted_total{table=\"whatsapp_messages\"}") - before)
                .isEqualTo(250);
    }

    @Test
    void oneStatementDropsAtMostOneBatch() {
        String number = number();
        override(number, "1 day");
        String session = session(number, 20, 3);

        assertThat(retention.run(null, 7).await().atMost(WAIT)).isEqualTo(20);
        assertThat(messages(session)).isZero();
    }
}
