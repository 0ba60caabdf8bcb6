package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/** The webhook parses with the application's ObjectMapper: trailing content and overlong UTF-8 are refused. */
@QuarkusTest
class WebhookStrictJsonTest {

    static long stored(String wamid) {
        return Sql.count("select count(*) from whatsapp_messages where message_id = ?", wamid);
    }

    @Test
    void trailingContentAfterTheDeliveryIsRefused() {
        String wamid = "wamid.TRAIL" + UUID.randomUUID();
        byte[] valid = Webhooks.inbound("447700900555", "Trail", Webhooks.text("447700900555", wamid,
                Instant.now().getEpochSecond(), "hello"));
        byte[] body = (new String(valid, StandardCharsets.UTF_8) + " {\"object\":\"x\"}").getBytes(StandardCharsets.UTF_8);
        Webhooks.post(body).then().statusCode(400).body("title", equalTo("Invalid delivery"));
        assertThat(stored(wamid)).isZero();
        Webhooks.post(valid).then().statusCode(200);
        assertThat(stored(wamid)).isOne();
    }

    @Test
    void overlongUtf8IsRefused() {
        String wamid = "wamid.OVERLONG" + UUID.randomUUID();
        String[] parts = new String(Webhooks.inbound("447700900556", "Overlong", Webhooks.text("447700900556", wamid,
                Instant.now().getEpochSecond(), "SPLIT")), StandardCharsets.UTF_8).split("SPLIT");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(parts[0].getBytes(StandardCharsets.UTF_8));
        body.writeBytes(new byte[] { 'a', (byte) 0xC0, (byte) 0x80, 'b' }); // overlong U+0000
        body.writeBytes(parts[1].getBytes(StandardCharsets.UTF_8));
        Webhooks.post(body.toByteArray()).then().statusCode(400).body("title", equalTo("Invalid delivery"));
        assertThat(stored(wamid)).isZero();
    }
}
