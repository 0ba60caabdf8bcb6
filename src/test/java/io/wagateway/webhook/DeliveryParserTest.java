package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wagateway.support.Webhooks;
import io.wagateway.webhook.payload.Delivery;
import io.wagateway.webhook.payload.DeliveryParser;
import io.wagateway.webhook.payload.InboundMessage;

class DeliveryParserTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private Delivery parse(String json) throws Exception {
        return DeliveryParser.parse(mapper.readTree(json));
    }

    @Test
    void batchMatchesContactsByWaIdNotByPosition() throws Exception {
        Delivery delivery = DeliveryParser.parse(mapper.readTree(Webhooks.fixture("15-batch-two-contacts.json")));
        assertThat(delivery.messages()).extracting(InboundMessage::from, InboundMessage::contactName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("4915112345678", "Lena Müller"),
                        org.assertj.core.groups.Tuple.tuple("16505550199", "Priya Raman"));
        assertThat(delivery.messages().get(0).routing().phoneNumberId()).isEqualTo("118234567890123");
        assertThat(delivery.messages().get(0).routing().wabaId()).isEqualTo("204567891234567");
        assertThat(delivery.messages().get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1768467700));
    }

    @Test
    void everyEntryAndChangeIsRead() throws Exception {
        Delivery delivery = parse("""
                {"object":"whatsapp_business_account","entry":[
                 {"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"A"},
                   "messages":[{"from":"1","id":"w1","type":"text","text":{"body":"x"}}],
                   "statuses":[{"id":"s1","status":"sent","timestamp":"1768466405"}]}},
                  {"field":"message_template_status_update","value":{"event":"APPROVED"}}]},
                 {"id":"2","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"B"},
                   "messages":[{"from":"2","id":"w2","type":"text","text":{"body":"y"}}],
                   "errors":[{"code":130429,"title":"Rate limit hit","error_data":{"details":"d"}}]}}]}]}""");
        assertThat(delivery.messages()).extracting(m -> m.routing().phoneNumberId()).containsExactly("A", "B");
        assertThat(delivery.statuses()).singleElement().satisfies(s -> {
            assertThat(s.messageId()).isEqualTo("s1");
            assertThat(s.timestamp()).isEqualTo(Instant.ofEpochSecond(1768466405));
        });
        assertThat(delivery.errors()).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo(130429));
        assertThat(delivery.ignoredFields()).containsExactly("message_template_status_update");
    }

    @Test
    void systemMessagesWithoutContactsAndUsernameSendersAreKept() throws Exception {
        Delivery delivery = parse("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                 "metadata":{"phone_number_id":"A"},
                 "contacts":[{"profile":{"name":"U"},"wa_id":"","user_id":"US.123"}],
                 "messages":[{"from":"16505550000","id":"w1","type":"system","system":{"body":"changed"}},
                             {"from":"","from_user_id":"US.123","id":"w2","type":"text","text":{"body":"hi"}}]}}]}]}""");
        InboundMessage system = delivery.messages().get(0);
        assertThat(system.waId()).isEqualTo("16505550000");
        assertThat(system.contactName()).isNull();
        InboundMessage username = delivery.messages().get(1);
        assertThat(username.from()).isEqualTo("US.123");
        assertThat(username.waId()).isEqualTo("US.123");
        assertThat(username.contactName()).isEqualTo("U");
    }

    @Test
    void missingOrOddPartsAreTolerated() throws Exception {
        assertThat(parse("{}").itemCount()).isZero();
        assertThat(parse("{\"object\":\"page\",\"entry\":[]}").ignoredFields()).containsExactly("object:page");
        Delivery odd = parse("""
                {"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[
                 {"from":"1","id":"w","timestamp":"not-a-number","type":"text","text":{"body":"x"}}]}}]}]}""");
        assertThat(odd.messages()).singleElement().satisfies(m -> {
            assertThat(m.routing().phoneNumberId()).isNull();
            assertThat(m.timestamp()).isNotNull();
        });
    }

    private static String withTimestamp(String timestampJson) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                 "metadata":{"phone_number_id":"A"},
                 "messages":[{"from":"1","id":"w","timestamp":%s,"type":"text","text":{"body":"x"}}],
                 "statuses":[{"id":"s","status":"sent","timestamp":%s}]}}]}]}""".formatted(timestampJson, timestampJson);
    }

    @Test
    void timestampsOutsideThePlausibleRangeOrUnreadableAreTheArrivalTime() throws Exception {
        java.util.List<String> odd = java.util.List.of("1e400", "-1e400", "9224318016000", "\"9224318016000\"",
                "\"10000000000000\"", "\"1230767999\"", "\"-5\"", "\"99999999999999999999\"", "\"1e9\"", "\"\"",
                "null", "{}", "1768466400.5e300", "\"" + Instant.now().plusSeconds(86_400 + 120).getEpochSecond() + "\"");
        for (String timestamp : odd) {
            Instant before = Instant.now();
            Delivery delivery = parse(withTimestamp(timestamp));
            Instant after = Instant.now();
            assertThat(delivery.messages().get(0).timestamp()).as(timestamp).isBetween(before, after);
            assertThat(delivery.statuses().get(0).timestamp()).as(timestamp).isBetween(before, after);
        }
    }

    @Test
    void plausibleTimestampsAreKept() throws Exception {
        long nearFuture = Instant.now().plusSeconds(86_400 - 120).getEpochSecond();
        for (long seconds : new long[] { 1230768000L, 1768466400L, nearFuture }) {
            for (String json : new String[] { "\"" + seconds + "\"", String.valueOf(seconds), "\" " + seconds + " \"" }) {
                Delivery delivery = parse(withTimestamp(json));
                assertThat(delivery.messages().get(0).timestamp()).as(json).isEqualTo(Instant.ofEpochSecond(seconds));
                assertThat(delivery.statuses().get(0).timestamp()).as(json).isEqualTo(Instant.ofEpochSecond(seconds));
            }
        }
    }

    @Test
    void businessScopedUserIdsAreTakenFromContactsMessagesStatusesAndUserIdUpdates() throws Exception {
        Delivery delivery = parse("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                 "metadata":{"phone_number_id":"A"},
                 "contacts":[{"profile":{"name":"Ada","username":"ada.l","country_code":"US"},"wa_id":"",
                              "user_id":"US.13491208655302741918","parent_user_id":"US.ENT.11815799212886844830"},
                             {"profile":{"name":"Bob"},"wa_id":"16505551234","user_id":"US.2"}],
                 "messages":[{"from":"","from_user_id":"US.13491208655302741918","id":"w1","type":"text",
                              "text":{"body":"hi"}},
                             {"from":"16505551234","from_user_id":"US.2","id":"w2","type":"text","text":{"body":"yo"}}],
                 "statuses":[{"id":"w3","status":"delivered","recipient_id":"","recipient_user_id":"US.3"}]}},
                 {"field":"user_id_update","value":{"metadata":{"phone_number_id":"A"},
                  "user_id_update":[{"wa_id":"16505551234","detail":"User id for Bob has been updated.",
                                     "user_id":{"previous":"US.2","current":"US.4"},"timestamp":"1700000003"}]}}]}]}""");
        InboundMessage withheld = delivery.messages().get(0);
        assertThat(withheld.waId()).as("the BSUID is the key while the phone is withheld")
                .isEqualTo("US.13491208655302741918");
        assertThat(withheld.userId()).isEqualTo("US.13491208655302741918");
        assertThat(withheld.parentUserId()).isEqualTo("US.ENT.11815799212886844830");
        assertThat(withheld.username()).isEqualTo("ada.l");
        assertThat(withheld.countryCode()).isEqualTo("US");
        assertThat(withheld.contactName()).isEqualTo("Ada");
        InboundMessage both = delivery.messages().get(1);
        assertThat(both.waId()).isEqualTo("16505551234");
        assertThat(both.userId()).isEqualTo("US.2");
        assertThat(delivery.statuses().get(0).recipientId()).isNull();
        assertThat(delivery.statuses().get(0).recipientUserId()).isEqualTo("US.3");
        assertThat(delivery.userIdChanges()).singleElement().satisfies(change -> {
            assertThat(change.previous()).isEqualTo("US.2");
            assertThat(change.current()).isEqualTo("US.4");
            assertThat(change.waId()).isEqualTo("16505551234");
            assertThat(change.routing().phoneNumberId()).isEqualTo("A");
        });
        assertThat(delivery.ignoredFields()).isEmpty();
    }

    @Test
    void aUserChangedUserIdSystemMessageNamesThePreviousBsuidInItsBodyOnly() throws Exception {
        Delivery delivery = parse("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                 "metadata":{"phone_number_id":"A"},
                 "messages":[{"id":"w1","timestamp":"1700000002","type":"system","system":{
                   "body":"User Test User changed from US.13491208655302741918 to US.24817305912873645029",
                   "user_id":"US.24817305912873645029","type":"user_changed_user_id"}}]}}]}]}""");
        InboundMessage system = delivery.messages().get(0);
        assertThat(system.userId()).isEqualTo("US.13491208655302741918");
        assertThat(system.newUserId()).isEqualTo("US.24817305912873645029");
        assertThat(system.waId()).isEqualTo("US.13491208655302741918");
    }
}
