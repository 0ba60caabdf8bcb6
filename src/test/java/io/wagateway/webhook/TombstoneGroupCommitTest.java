package io.wagateway.webhook;

import static io.wagateway.webhook.TombstoneTest.deleteSession;
import static io.wagateway.webhook.TombstoneTest.now;
import static io.wagateway.webhook.TombstoneTest.sessionsOf;
import static io.wagateway.webhook.TombstoneTest.text;
import static io.wagateway.webhook.WebhookResourceTest.rowsFor;
import static io.wagateway.webhook.WebhookResourceTest.uniqueSenderPrefix;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * Deleted conversations on the group-commit path: deliveries that wait together for the one statement slot
 * (see {@link WebhookGroupCommitTest}) are written by inbound-batch.sql, which honours the tombstones as the
 * single-message statement does.
 */
@QuarkusTest
@TestProfile(WebhookGroupCommitTest.OneStatementAtATime.class)
class TombstoneGroupCommitTest {

    @Test
    void aGroupStoresOnlyWhatTheDeletionsDidNotCover() throws Exception {
        String prefix = uniqueSenderPrefix();
        String deleted = prefix + "0";
        String alsoDeleted = prefix + "1";
        String untouched = prefix + "2";
        String stored = uniqueWamid();
        byte[] storedBody = text(deleted, stored, now() - 3600);
        Webhooks.post(storedBody).then().statusCode(200);
        Webhooks.post(text(alsoDeleted, uniqueWamid(), now() - 3600)).then().statusCode(200);
        Webhooks.post(text(untouched, uniqueWamid(), now() - 3600)).then().statusCode(200);
        deleteSession(deleted);
        deleteSession(alsoDeleted);
        long after = now() + 1;

        List<byte[]> bodies = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> admitted = new ArrayList<>();
        bodies.add(storedBody);
        refused.add(stored);
        for (String phone : List.of(deleted, alsoDeleted)) {
            String before = uniqueWamid();
            bodies.add(text(phone, before, now() - 60));
            refused.add(before);
        }
        for (String phone : List.of(alsoDeleted, untouched)) {
            String fresh = uniqueWamid();
            bodies.add(text(phone, fresh, after));
            admitted.add(fresh);
        }
        WebhookGroupCommitTest.Burst burst = WebhookGroupCommitTest.whileTheSlotIsHeld(bodies);

        assertThat(burst.statuses()).containsOnly(200);
        assertThat(burst.batches().statements()).as("the five were one group").isEqualTo(2);
        assertThat(refused).allSatisfy(wamid -> assertThat(rowsFor(wamid)).as(wamid).isZero());
        assertThat(admitted).allSatisfy(wamid -> assertThat(rowsFor(wamid)).as(wamid).isEqualTo(1));
        assertThat(sessionsOf(deleted)).as("no new session from the old messages").isZero();
        assertThat(sessionsOf(alsoDeleted)).isEqualTo(1);
        // The new conversation's times are its own message's, not the refused one's.
        assertThat(((Timestamp) Sql.row("select last_message_at from whatsapp_sessions where phone_number = ?",
                alsoDeleted).get("last_message_at")).toInstant().getEpochSecond()).isEqualTo(after);
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", alsoDeleted)).isEqualTo(1);
    }
}
