package io.wagateway.webhook;

import static io.wagateway.webhook.CoexistenceWebhookTest.chunk;
import static io.wagateway.webhook.CoexistenceWebhookTest.historyMessage;
import static io.wagateway.webhook.CoexistenceWebhookTest.thread;
import static io.wagateway.webhook.WebhookResourceTest.uniqueSenderPrefix;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wagateway.common.SqlFiles;
import io.wagateway.support.Metrics;
import io.wagateway.support.Sql;
import io.wagateway.support.TestDatabase;

/**
 * The history import job on its own (no timer runs here: each test calls a run): replicas claiming at once take
 * different chunks, a chunk whose replica died is taken after its lease and continued from its cursor, and a live
 * lease is respected.
 */
@QuarkusTest
@TestProfile(HistoryImportTest.NoTimer.class)
class HistoryImportTest {

    public static class NoTimer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.history.interval", "1h", "gateway.history.import-batch", "2");
        }
    }

    @Inject
    HistoryImport importer;

    static final String CLAIM = SqlFiles.load("webhook/history-claim.sql").replace("$1", "?").replace("$2", "?");

    static long now() {
        return Instant.now().getEpochSecond();
    }

    /** A kept chunk of {@code n} messages of one customer; its wamids. */
    static List<String> seed(String number, int order, int n, int importedCount, String claimedBy, String leaseSql) {
        String customer = uniqueSenderPrefix() + order % 10;
        List<String> messages = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String wamid = uniqueWamid();
            wamids.add(wamid);
            messages.add(historyMessage(customer, null, wamid, now() - 2 * 86_400 + i, "m" + i, "READ"));
        }
        String payload = chunk(0, order, 100, thread(customer, messages));
        Sql.update("insert into whatsapp_history_chunks (phone_number_id, phase, chunk_order, progress, chunk_hash, "
                + "payload, message_count, imported_count, claimed_by, claimed_until, received_at) values "
                + "(?, 0, ?, 100, md5(?), ?::jsonb, ?, ?, ?, " + leaseSql + ", now() - interval '1 hour')", number,
                order, payload, payload, n, importedCount, claimedBy);
        return wamids;
    }

    static long stored(List<String> wamids) {
        long stored = 0;
        for (String wamid : wamids) {
            stored += Sql.count("select count(*) from whatsapp_messages where message_id = ?", wamid);
        }
        return stored;
    }

    static String number() {
        return CoexistenceWebhookTest.newPhoneNumberId();
    }

    @Test
    void replicasClaimingAtOnceTakeDifferentChunks() throws Exception {
        String number = number();
        seed(number, 1, 1, 0, null, "null");
        seed(number, 2, 1, 0, null, "null");
        try (Connection first = TestDatabase.current().connect();
                Connection second = TestDatabase.current().connect()) {
            first.setAutoCommit(false);
            long a = claim(first, "replica-a");
            // the first replica's claim is not committed yet: its row is locked, so the second skips it
            long b = claim(second, "replica-b");
            first.commit();
            assertThat(a).isPositive();
            assertThat(b).isPositive().isNotEqualTo(a);
        }
        assertThat(Sql.count("select count(distinct claimed_by) from whatsapp_history_chunks where phone_number_id = ?",
                number)).isEqualTo(2);
        // both held by live leases: a run of this replica finds nothing of them to take
        importer.run().await().atMost(Duration.ofSeconds(20));
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ? "
                + "and imported_at is not null", number)).isZero();
    }

    private static long claim(Connection connection, String replica) throws Exception {
        try (PreparedStatement ps = connection.prepareStatement(CLAIM)) {
            ps.setString(1, replica);
            ps.setLong(2, 60);
            try (ResultSet rs = ps.executeQuery()) {
                // the oldest free chunk of any number: only this test's are free here
                return rs.next() ? rs.getLong("id") : -1;
            }
        }
    }

    @Test
    void aDeadReplicasChunkIsContinuedFromItsCursorOnceItsLeasePassed() {
        String number = number();
        // the dead replica committed two batches of two (its cursor: 4 of 7) and stopped; its lease has passed
        List<String> wamids = seed(number, 3, 7, 4, "replica-that-died", "now() - interval '1 second'");
        double before = Metrics.series("whatsapp_history_messages_total");
        double chunksBefore = Metrics.series("whatsapp_history_chunks_total{outcome=\"imported\"}");
        importer.run().await().atMost(Duration.ofSeconds(20));
        assertThat(Metrics.series("whatsapp_history_messages_total") - before).isEqualTo(3);
        assertThat(Metrics.series("whatsapp_history_chunks_total{outcome=\"imported\"}") - chunksBefore).isEqualTo(1);

        assertThat(stored(wamids.subList(4, 7))).as("the rest of the chunk, from its cursor").isEqualTo(3);
        assertThat(stored(wamids.subList(0, 4))).as("before the cursor: the dead replica's part, not redone")
                .isZero();
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ? "
                + "and imported_at is not null and imported_count = 7 and stored_count = 3 and claimed_by is null",
                number)).isEqualTo(1);
    }

    @Test
    void aLiveLeaseIsLeftToItsReplica() {
        String number = number();
        List<String> wamids = seed(number, 4, 3, 0, "replica-alive", "now() + interval '1 minute'");
        importer.run().await().atMost(Duration.ofSeconds(20));
        assertThat(stored(wamids)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ? "
                + "and claimed_by = 'replica-alive' and imported_at is null", number)).isEqualTo(1);

        Sql.update("update whatsapp_history_chunks set claimed_until = now() - interval '1 second' "
                + "where phone_number_id = ?", number);
        importer.run().await().atMost(Duration.ofSeconds(20));
        assertThat(stored(wamids)).isEqualTo(3);
    }
}
