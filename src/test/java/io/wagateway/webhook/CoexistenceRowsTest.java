package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wagateway.conversation.ConversationWrites.CoexistenceRow;
import io.wagateway.conversation.MessageDirection;
import io.wagateway.conversation.MessageStatus;
import io.wagateway.webhook.WebhookSecrets.Signer;

/** Echoes and history chunks as the rows they make (no database). */
class CoexistenceRowsTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Instant arrival = Instant.parse("2026-12-03T12:00:00Z");

    private Coexistence coexistence() {
        WebhookConfig config = (WebhookConfig) Proxy.newProxyInstance(WebhookConfig.class.getClassLoader(),
                new Class<?>[] { WebhookConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("staleAfter")) {
                        return Duration.ofDays(8);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new Coexistence(mapper, new InboundRows(mapper, config), null, null, null, null, null, config);
    }

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }

    @Test
    void historyMessagesTakeTheirDirectionFromTheThreadsCustomer() throws Exception {
        JsonNode item = json("""
                {"metadata":{"phase":1,"chunk_order":3,"progress":40},"threads":[
                 {"id":"16505550001","messages":[
                  {"from":"16505550001","id":"wamid.A1","timestamp":"1764684000","type":"text","text":{"body":"q"}},
                  {"from":"15557654321","to":"16505550001","id":"wamid.A2","timestamp":"1764684060","type":"text",
                   "text":{"body":"a"},"history_context":{"status":"PLAYED"}}]},
                 {"id":"US.1234567890","messages":[
                  {"from":"","from_user_id":"US.1234567890","id":"wamid.B1","timestamp":"bogus","type":"image",
                   "image":{"id":"42","caption":"look"}}]}]}""");
        List<CoexistenceRow> rows = coexistence().historyRows(item, "waba", "pnid", "+1 555-765-4321", arrival, 0, 3);

        assertThat(rows).extracting(CoexistenceRow::wamid).containsExactly("wamid.A1", "wamid.A2", "wamid.B1");
        assertThat(rows.get(0).direction()).isEqualTo(MessageDirection.INBOUND);
        assertThat(rows.get(0).status()).isNull();
        assertThat(rows.get(0).at()).isEqualTo(Instant.ofEpochSecond(1764684000));
        assertThat(rows.get(0).createdAt()).as("the original time").isEqualTo(rows.get(0).at());
        assertThat(rows.get(0).event()).as("no events for imported messages").isNull();
        assertThat(rows.get(1).direction()).isEqualTo(MessageDirection.OUTBOUND);
        assertThat(rows.get(1).phone()).isEqualTo("16505550001");
        assertThat(rows.get(1).status()).isEqualTo(MessageStatus.PLAYED);
        assertThat(rows.get(2).phone()).as("a thread named by a BSUID").isNull();
        assertThat(rows.get(2).userId()).isEqualTo("US.1234567890");
        assertThat(rows.get(2).direction()).isEqualTo(MessageDirection.INBOUND);
        assertThat(rows.get(2).at()).as("an unreadable timestamp: the chunk's arrival").isEqualTo(arrival);
        assertThat(rows.get(2).metadataJson()).contains("\"source\":\"history\"").contains("\"chunkOrder\":3");
    }

    @Test
    void aSliceOfTheChunkIsOnlyItsPositions() throws Exception {
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            messages.append(i == 0 ? "" : ",").append("""
                    {"from":"16505550002","id":"wamid.S%d","timestamp":"1764684000","type":"text","text":{"body":"x"}}"""
                    .formatted(i));
        }
        JsonNode item = json("{\"threads\":[{\"id\":\"16505550002\",\"messages\":[" + messages + "]},"
                + "{\"id\":\"16505550003\",\"messages\":[{\"from\":\"16505550003\",\"id\":\"wamid.T0\","
                + "\"timestamp\":\"1764684000\",\"type\":\"text\",\"text\":{\"body\":\"y\"}}]}]}");
        Coexistence coexistence = coexistence();
        assertThat(coexistence.historyRows(item, null, "pnid", null, arrival, 2, 4)).extracting(CoexistenceRow::wamid)
                .containsExactly("wamid.S2", "wamid.S3");
        assertThat(coexistence.historyRows(item, null, "pnid", null, arrival, 4, 6)).extracting(CoexistenceRow::wamid)
                .containsExactly("wamid.S4", "wamid.T0");
    }

    @Test
    void echoesAreOutboundToTheirRecipientAndEditsApplyToTheOriginal() throws Exception {
        JsonNode root = json("""
                {"object":"whatsapp_business_account","entry":[{"id":"waba","changes":[{"field":"smb_message_echoes",
                 "value":{"metadata":{"phone_number_id":"pnid","display_phone_number":"15557654321"},"message_echoes":[
                  {"from":"15557654321","to":"16505550004","id":"wamid.E1","timestamp":"1796299000","type":"text",
                   "text":{"body":"hi"}},
                  {"from":"15557654321","to":"","to_user_id":"US.99","id":"wamid.E2","timestamp":"1796299001",
                   "type":"edit","edit":{"original_message_id":"wamid.E0","message":{"text":{"body":"fixed"}}}},
                  {"from":"15557654321","to":"16505550004","id":"wamid.OLD","timestamp":"1700000000","type":"text",
                   "text":{"body":"replayed"}},
                  {"from":"15557654321","id":"wamid.E3","type":"text","text":{"body":"no recipient"}}]}}]}]}""");
        Coexistence.Items items = coexistence().items(root, Signer.ANY, arrival);

        assertThat(items.echoes()).extracting(CoexistenceRow::wamid).containsExactly("wamid.E1");
        CoexistenceRow echo = items.echoes().get(0);
        assertThat(echo.direction()).isEqualTo(MessageDirection.OUTBOUND);
        assertThat(echo.phone()).isEqualTo("16505550004");
        assertThat(echo.status()).isEqualTo(MessageStatus.SENT);
        assertThat(echo.event()).isEqualTo("whatsapp.message.sent");
        assertThat(echo.metadataJson()).contains("\"source\":\"business_app\"");
        assertThat(items.edits()).singleElement().satisfies(edit -> {
            assertThat(edit.originalWamid()).isEqualTo("wamid.E0");
            assertThat(edit.content()).isEqualTo("fixed");
        });
    }

    @Test
    void anotherSignersNumberIsNotRead() throws Exception {
        JsonNode root = json("""
                {"entry":[{"id":"waba","changes":[{"field":"history","value":{"metadata":{"phone_number_id":"pnid"},
                 "history":[{"errors":[{"code":2593109,"title":"History sharing is turned off by the business"}]}]}}]}]}""");
        Signer other = new Signer(false, java.util.Set.of("another"), java.util.Set.of(), java.util.Map.of());
        assertThat(coexistence().items(root, other, arrival).chunks()).isEmpty();
        assertThat(coexistence().items(root, Signer.ANY, arrival).chunks()).singleElement()
                .satisfies(chunk -> assertThat(chunk.errors()).contains("2593109"));
    }
}
