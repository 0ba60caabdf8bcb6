package io.wagateway.webhook;

import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.Sql;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Dead letters are kept for {@code gateway.whatsapp.dead-letter-retention} (30 days by default), then purged. */
@QuarkusTest
class DeadLetterJanitorTest {

    @Inject
    DeadLetterJanitor janitor;

    @Test
    void deadLettersOlderThanTheRetentionArePurgedInBatches() {
        String recent = uniqueWamid();
        // More than one batch of old ones.
        Sql.update("""
                insert into whatsapp_dead_letters (received_at, phone_number_id, kind, wamid, sqlstate, error, payload)
                select now() - interval '31 days', '1', 'message', 'wamid.OLD' || n, '22023', 'old', '{}'
                from generate_series(1, ?) n""", DeadLetterJanitor.BATCH * 2 + 7);
        Sql.update("""
                insert into whatsapp_dead_letters (received_at, phone_number_id, kind, wamid, sqlstate, error, payload)
                values (now() - interval '29 days', '1', 'message', ?, '22023', 'recent', '{}')""", recent);
        assertThat(janitor.purge().await().atMost(Duration.ofSeconds(30))).isEqualTo(DeadLetterJanitor.BATCH * 2L + 7);
        assertThat(Sql.count("select count(*) from whatsapp_dead_letters where received_at < now() - interval '30 days'"))
                .isZero();
        assertThat(Sql.count("select count(*) from whatsapp_dead_letters where wamid = ?", recent)).isEqualTo(1);
    }
}
