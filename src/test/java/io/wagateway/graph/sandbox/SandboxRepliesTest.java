package io.wagateway.graph.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class SandboxRepliesTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void answersASendLikeMeta() {
        ObjectNode answer = SandboxReplies.accepted("+49 151 2345678", "wamid.x");
        assertThat(answer.toString()).isEqualTo("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":"
                + "\"+49 151 2345678\",\"wa_id\":\"491512345678\"}],\"messages\":[{\"id\":\"wamid.x\","
                + "\"message_status\":\"accepted\"}]}");
        assertThat(SandboxReplies.newWamid()).startsWith("wamid.sandbox-").isNotEqualTo(SandboxReplies.newWamid());
    }

    @Test
    void tellsReadReceiptsFromSends() throws Exception {
        assertThat(SandboxReplies.isReadReceipt(mapper.readTree(
                "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"wamid.in\"}"))).isTrue();
        assertThat(SandboxReplies.isReadReceipt(mapper.readTree("{\"status\":\"read\"}"))).isFalse();
        assertThat(SandboxReplies.isReadReceipt(mapper.readTree("{\"to\":\"+4915\",\"type\":\"text\"}"))).isFalse();
    }

    @Test
    void reportsEachStatusAsMetasWebhookDoes() {
        Instant at = Instant.ofEpochSecond(1_800_000_000L);
        assertThat(SandboxReplies.STATUSES).containsExactly("sent", "delivered", "read");
        ObjectNode delivery = SandboxReplies.statusDelivery("118234567890123", "+491512345678", "wamid.out", "read", at);
        assertThat(delivery.path("object").asText()).isEqualTo("whatsapp_business_account");
        var change = delivery.path("entry").path(0).path("changes").path(0);
        assertThat(change.path("field").asText()).isEqualTo("messages");
        assertThat(change.path("value").path("metadata").path("phone_number_id").asText()).isEqualTo("118234567890123");
        assertThat(change.path("value").path("statuses").toString()).isEqualTo("[{\"id\":\"wamid.out\","
                + "\"status\":\"read\",\"timestamp\":\"1800000000\",\"recipient_id\":\"491512345678\"}]");
    }

    @Test
    void signsLikeMeta() {
        // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?")
        assertThat(SandboxReplies.signature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
