package io.wagateway.webhook;

import static io.wagateway.webhook.BsuidWebhookTest.envelope;
import static io.wagateway.webhook.BsuidWebhookTest.now;
import static io.wagateway.webhook.WebhookResourceTest.uniqueSenderPrefix;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * Edits and revokes (messages of type edit / revoke, Meta's payload shapes): the original shows the new content,
 * earlier versions in metadata.edits, editedAt / revokedAt, the events; redeliveries change nothing more; an edit
 * that arrives before its original is applied once the original is stored.
 */
@QuarkusTest
class EditRevokeWebhookTest {

    static byte[] text(String phone, String wamid, long ts, String body) {
        return Webhooks.inbound(phone, "Ada", Webhooks.text(phone, wamid, ts, body));
    }

    static byte[] edit(String phone, String wamid, String original, long ts, String body) {
        String message = """
                {"from":"%s","id":"%s","timestamp":"%d","type":"edit",
                 "edit":{"original_message_id":"%s","message":{"context":{"id":"%s"},"type":"text",
                 "text":{"body":"%s"}}}}""".formatted(phone, wamid, ts, original, original, body);
        return envelope("messages", "\"contacts\":[{\"profile\":{\"name\":\"Ada\"},\"wa_id\":\"" + phone
                + "\"}],\"messages\":[" + message + "]");
    }

    static byte[] revoke(String phone, String wamid, String original, long ts) {
        String message = """
                {"from":"%s","id":"%s","timestamp":"%d","type":"revoke","revoke":{"original_message_id":"%s"}}"""
                .formatted(phone, wamid, ts, original);
        return envelope("messages", "\"contacts\":[{\"profile\":{\"name\":\"Ada\"},\"wa_id\":\"" + phone
                + "\"}],\"messages\":[" + message + "]");
    }

    static Map<String, Object> stored(String wamid) {
        return Sql.row("select content, message_type, edited_at, revoked_at, metadata::text as metadata "
                + "from whatsapp_messages where message_id = ?", wamid);
    }

    static long events(String type, String wamid) {
        return Sql.count("select count(*) from gateway_events where type = ? and data->>'messageId' = ?", type, wamid);
    }

    @Test
    void anEditReplacesTheContentAndKeepsTheEarlierVersion() {
        String phone = uniqueSenderPrefix() + "6";
        String original = uniqueWamid();
        Webhooks.post(text(phone, original, now() - 60, "see you at 5")).then().statusCode(200);
        byte[] edit = edit(phone, uniqueWamid(), original, now(), "see you at 6");
        Webhooks.post(edit).then().statusCode(200);
        Webhooks.post(edit).then().statusCode(200);

        Map<String, Object> row = stored(original);
        assertThat(row.get("content")).isEqualTo("see you at 6");
        assertThat(row.get("edited_at")).isNotNull();
        assertThat((String) row.get("metadata")).contains("see you at 5");
        assertThat(Sql.count("select jsonb_array_length(metadata->'edits') from whatsapp_messages where message_id = ?",
                original)).as("the redelivered edit is not recorded twice").isEqualTo(1);
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", phone)).as("the edit is not a message of its own").isEqualTo(1);
        assertThat(events("whatsapp.message.edited", original)).isEqualTo(1);
    }

    @Test
    void aRevokeReplacesTheContentByAPlaceholder() {
        String phone = uniqueSenderPrefix() + "7";
        String original = uniqueWamid();
        Webhooks.post(text(phone, original, now() - 60, "my card number is 4111-secret")).then().statusCode(200);
        byte[] revoke = revoke(phone, uniqueWamid(), original, now());
        Webhooks.post(revoke).then().statusCode(200);
        Webhooks.post(revoke).then().statusCode(200);

        Map<String, Object> row = stored(original);
        assertThat(row.get("content")).isEqualTo("[message deleted]");
        assertThat(row.get("revoked_at")).isNotNull();
        assertThat((String) row.get("metadata")).doesNotContain("4111-secret");
        assertThat(events("whatsapp.message.revoked", original)).isEqualTo(1);
    }

    @Test
    void anEditBeforeItsOriginalIsAppliedOnceTheOriginalIsStored() {
        String phone = uniqueSenderPrefix() + "8";
        String original = uniqueWamid();
        Webhooks.post(edit(phone, uniqueWamid(), original, now(), "corrected")).then().statusCode(200);
        assertThat(Sql.count("select count(*) from whatsapp_pending_edits where original_message_id = ?", original))
                .isEqualTo(1);
        Webhooks.post(text(phone, original, now() - 30, "first try")).then().statusCode(200);

        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "corrected".equals(stored(original).get("content")));
        assertThat(Sql.count("select count(*) from whatsapp_pending_edits where original_message_id = ?", original))
                .isZero();
        assertThat(events("whatsapp.message.edited", original)).isEqualTo(1);
    }
}
