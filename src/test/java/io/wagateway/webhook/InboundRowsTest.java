package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wagateway.conversation.InboundRow;
import io.wagateway.conversation.MessageStatus;
import io.wagateway.webhook.InboundRows.Rows;
import io.wagateway.webhook.InboundRows.StatusWrite;
import io.wagateway.webhook.WebhookSecrets.Signer;
import io.wagateway.webhook.payload.DeliveryParser;

/** A delivery as the writes it makes, and what it leaves out (no database). */
class InboundRowsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private InboundRows rows(Duration staleAfter) {
        WebhookConfig config = (WebhookConfig) Proxy.newProxyInstance(WebhookConfig.class.getClassLoader(),
                new Class<?>[] { WebhookConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("staleAfter")) {
                        return staleAfter;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new InboundRows(mapper, config);
    }

    private Rows of(String json, Duration staleAfter, Signer signer) throws Exception {
        return rows(staleAfter).of(DeliveryParser.parse(mapper.readTree(json)), signer);
    }

    private static final String DELIVERY = """
            {"object":"whatsapp_business_account","entry":[{"id":"WA","changes":[{"field":"messages","value":{
              "metadata":{"phone_number_id":"A1","display_phone_number":"15550001"},
              "contacts":[{"wa_id":"49b","profile":{"name":"Bea\\u0000"}},{"wa_id":"49a","profile":{"name":"Ann"}}],
              "messages":[
                {"from":"49b","id":"wamid.B","timestamp":"1768466400","type":"text","text":{"body":"hi"}},
                {"from":"49a","id":"wamid.A","timestamp":"1768466401","type":"image","image":{"caption":"cat"}},
                {"from":"49a","timestamp":"1768466402","type":"text","text":{"body":"no id"}}],
              "statuses":[
                {"id":"wamid.Z","status":"read","timestamp":"1768466405","recipient_id":"49a"},
                {"id":"wamid.Y","status":"delivered","timestamp":"1768466404","recipient_id":"49a",
                 "errors":[{"code":131026}]},
                {"id":"wamid.X","status":"sideways","timestamp":"1768466404","recipient_id":"49a"}]}}]}]}""";

    @Test
    void messagesAndStatusesBecomeRowsInLockOrderWithStorableText() throws Exception {
        Rows rows = of(DELIVERY, Duration.ofDays(3650), Signer.ANY);
        assertThat(rows.messages()).extracting(InboundRow::wamid).containsExactly("wamid.A", "wamid.B");
        InboundRow bea = rows.messages().get(1);
        assertThat(bea.displayName()).isEqualTo("Bea\uFFFD");
        assertThat(bea.phoneNumberId()).isEqualTo("A1");
        assertThat(bea.timestamp()).isEqualTo(Instant.ofEpochSecond(1768466400));
        assertThat(mapper.readTree(bea.metadataJson()).get("contactName").asText()).isEqualTo("Bea\uFFFD");
        assertThat(rows.messages().get(0).messageType()).isEqualTo("image");
        assertThat(rows.statuses()).extracting(StatusWrite::wamid).containsExactly("wamid.Y", "wamid.Z");
        StatusWrite delivered = rows.statuses().get(0);
        assertThat(delivered.status()).isEqualTo(MessageStatus.fromWire("delivered"));
        assertThat(delivered.errorsJson()).contains("131026");
        assertThat(delivered.scope()).as("a configured secret signs for every number").isNull();
        assertThat(rows.skipped()).isEqualTo(1);
        assertThat(rows.unknownStatuses()).isEqualTo(1);
        assertThat(rows.invalid()).isZero();
        assertThat(rows.stale()).isZero();
    }

    @Test
    void aSettingsRowsSecretScopesItsStatusesToTheirNumber() throws Exception {
        Signer row = new Signer(false, java.util.Set.of("A1"), java.util.Set.of(), java.util.Map.of("A1", "WA"));
        assertThat(of(DELIVERY, Duration.ofDays(3650), row).statuses()).extracting(StatusWrite::scope)
                .containsOnly("A1");
    }

    @Test
    void messagesOlderThanTheRetryHorizonAndKeysTooLongToIndexAreLeftOut() throws Exception {
        assertThat(of(DELIVERY, Duration.ofMinutes(1), Signer.ANY)).satisfies(rows -> {
            assertThat(rows.messages()).isEmpty();
            assertThat(rows.stale()).isEqualTo(2);
            assertThat(rows.statuses()).hasSize(2);
        });
        String longId = "wamid." + "x".repeat(3000);
        Rows rows = of(DELIVERY.replace("wamid.B", longId).replace("wamid.Z", longId), Duration.ofDays(3650),
                Signer.ANY);
        assertThat(rows.messages()).extracting(InboundRow::wamid).containsExactly("wamid.A");
        assertThat(rows.statuses()).extracting(StatusWrite::wamid).containsExactly("wamid.Y");
        assertThat(rows.invalid()).isEqualTo(2);
        assertThat(rows.skipped()).as("the message without id and the one with a key too long").isEqualTo(2);
    }
}
