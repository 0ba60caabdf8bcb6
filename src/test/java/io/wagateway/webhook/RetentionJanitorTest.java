package io.wagateway.webhook;

import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.Sql;

/** What the webhook keeps for a while is purged after its retention, in bounded batches. */
@QuarkusTest
class RetentionJanitorTest {

    @Inject
    RetentionJanitor janitor;

    @Test
    void deadLettersOlderThanTheRetentionArePurgedInBatches() {
        String recent = uniqueWamid();
        // More than one batch of old ones.
        Sql.update("""
                insert into whatsapp_dead_letters (received_at, phone_number_id, kind, wamid, sqlstate, error, payload)
                select now() - interval '31 days', '1', 'message', 'wamid.OLD' || n, '22023', 'old', '{}'
                from generate_series(1, ?) n""", RetentionJanitor.BATCH * 2 + 7);
        Sql.update("""
                insert into whatsapp_dead_letters (received_at, phone_number_id, kind, wamid, sqlstate, error, payload)
                values (now() - interval '29 days', '1', 'message', ?, '22023', 'recent', '{}')""", recent);
        assertThat(janitor.purgeDeadLetters().await().atMost(Duration.ofSeconds(30)))
                .isEqualTo(RetentionJanitor.BATCH * 2L + 7);
        assertThat(Sql.count("select count(*) from whatsapp_dead_letters where received_at < now() - interval '30 days'"))
                .isZero();
        assertThat(Sql.count("select count(*) from whatsapp_dead_letters where wamid = ?", recent)).isEqualTo(1);
    }

    @Test
    void pendingStatusesOlderThanTheRetentionArePurgedInBatches() {
        String recent = uniqueWamid();
        String old = uniqueWamid();
        Sql.update("""
                insert into whatsapp_pending_statuses (message_id, status, status_rank, payload, received_at)
                select ? || n, 'delivered', 2, '{}', now() - interval '31 days'
                from generate_series(1, ?) n""", old, RetentionJanitor.BATCH + 3);
        Sql.update("""
                insert into whatsapp_pending_statuses (message_id, status, status_rank, payload, received_at)
                values (?, 'delivered', 2, '{}', now() - interval '29 days')""", recent);
        assertThat(janitor.purgePendingStatuses().await().atMost(Duration.ofSeconds(30)))
                .isEqualTo(RetentionJanitor.BATCH + 3L);
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id like ?", old + "%"))
                .isZero();
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", recent))
                .isEqualTo(1);
    }
}
