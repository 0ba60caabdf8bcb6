package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wagateway.settings.AccountChange;
import io.wagateway.settings.AccountWebhooks;
import io.wagateway.webhook.payload.CallEvent;
import io.wagateway.webhook.payload.CallParser;

/** The readers of the account and call fields and the dedupe key, on Meta's documented value shapes. */
class FieldParsersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant ARRIVAL = Instant.parse("2026-12-03T12:00:00Z");
    private static final Instant ENTRY = Instant.parse("2026-12-03T11:00:00Z");

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static AccountChange parse(String field, String value) {
        return AccountWebhooks.parse(field, "102290129340398", ENTRY, json(value), "k");
    }

    @Test
    void accountUpdateStatusIsTheBanStateOfADisabledUpdateAndNoneForNotices() {
        AccountChange disabled = parse("account_update", """
                {"event": "DISABLED_UPDATE", "ban_info": {"waba_ban_state": "DISABLE", "waba_ban_date": "2026-12-01"}}""");
        assertThat(disabled.accountStatus()).isEqualTo("DISABLE");
        assertThat(disabled.details().path("banDate").asText()).isEqualTo("2026-12-01");
        assertThat(disabled.phoneNumberId()).isNull();
        assertThat(disabled.at()).isEqualTo(ENTRY);
        assertThat(parse("account_update", """
                {"event": "ACCOUNT_VIOLATION", "violation_info": {"violation_type": "SCAM"}}""").accountStatus())
                .isEqualTo("ACCOUNT_VIOLATION");
        assertThat(parse("account_update", """
                {"event": "MM_LITE_TERMS_SIGNED"}""").accountStatus()).isNull();
        assertThat(parse("account_update", "[]")).isNull();
        assertThat(AccountWebhooks.parse("messages", "1", ENTRY, json("{}"), "k")).isNull();
    }

    @Test
    void qualityUpdatesGiveTheTierAndTheRatingTheyImply() {
        AccountChange flagged = parse("phone_number_quality_update", """
                {"display_phone_number": "+1 555-078-3881", "event": "FLAGGED", "current_limit": "TIER_10K"}""");
        assertThat(flagged.qualityRating()).isEqualTo("RED");
        assertThat(flagged.messagingLimitTier()).isEqualTo("TIER_10K");
        assertThat(flagged.displayPhoneNumber()).isEqualTo("15550783881");
        AccountChange upgrade = parse("phone_number_quality_update", """
                {"display_phone_number": "15550783881", "event": "UPGRADE",
                 "max_daily_conversations_per_business": "TIER_2K"}""");
        assertThat(upgrade.qualityRating()).isNull();
        assertThat(upgrade.messagingLimitTier()).isEqualTo("TIER_2K");
        assertThat(parse("phone_number_quality_update", """
                {"display_phone_number": "15550783881", "event": "UNFLAGGED", "quality_rating": "yellow"}""")
                .qualityRating()).isEqualTo("YELLOW");
    }

    @Test
    void alertsOnAPhoneNumberGoToThatNumber() {
        AccountChange alert = parse("account_alerts", """
                {"entity_type": "PHONE_NUMBER", "entity_id": "106540352242922", "alert_severity": "CRITICAL",
                 "alert_status": "ACTIVE", "alert_type": "PHONE_NUMBER_DISCONNECTED", "alert_description": "x"}""");
        assertThat(alert.phoneNumberId()).isEqualTo("106540352242922");
        assertThat(alert.event()).isEqualTo("PHONE_NUMBER_DISCONNECTED");
        assertThat(parse("account_alerts", """
                {"entity_type": "WABA", "entity_id": "102290129340398", "alert_type": "OBA_APPROVED"}""")
                .phoneNumberId()).isNull();
        AccountChange name = parse("phone_number_name_update", """
                {"display_phone_number": "15550783881", "decision": "REJECTED", "requested_verified_name": "X",
                 "rejection_reason": "NAME_FORMAT_UNACCEPTABLE"}""");
        assertThat(name.event()).isEqualTo("REJECTED");
        assertThat(name.details().path("rejectionReason").asText()).isEqualTo("NAME_FORMAT_UNACCEPTABLE");
    }

    @Test
    void callsNameTheirCustomerByBsuidWhenThePhoneIsWithheld() {
        CallParser.Calls calls = CallParser.parse("102290129340398", json("""
                {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "16505553602", "phone_number_id": "106540352242922"},
                 "contacts": [{"profile": {"name": "Pablo", "username": "pablo.m"}, "wa_id": "",
                               "user_id": "US.13491208655302741918", "parent_user_id": "US.ENT.1181579921"}],
                 "calls": [
                   {"id": "wacid.A", "to": "16505553602", "from": "", "from_user_id": "US.13491208655302741918",
                    "event": "connect", "timestamp": "1764759600", "direction": "USER_INITIATED"},
                   {"id": "wacid.B", "from": "16505553602", "to": "13175551400", "to_user_id": "US.2",
                    "to_parent_user_id": "US.ENT.2", "event": "connect", "timestamp": "1764759601",
                    "direction": "BUSINESS_INITIATED"},
                   {"id": "wacid.C", "from": "", "to": "16505553602", "event": "connect",
                    "direction": "USER_INITIATED"}],
                 "statuses": [{"id": "wacid.B", "timestamp": "1764759602", "type": "call", "status": "RINGING",
                   "recipient_id": "", "recipient_user_id": "US.2", "parent_recipient_user_id": "US.ENT.2"}]}"""),
                ARRIVAL);
        List<CallEvent> events = calls.events();
        assertThat(events).extracting(CallEvent::key).containsExactly("call:wacid.A:connect", "call:wacid.B:connect",
                "call:wacid.C:connect", "call:wacid.B:status:ringing");
        assertThat(events.get(0)).satisfies(e -> {
            assertThat(e.customer()).isNull();
            assertThat(e.userId()).isEqualTo("US.13491208655302741918");
            assertThat(e.parentUserId()).isEqualTo("US.ENT.1181579921");
            assertThat(e.username()).isEqualTo("pablo.m");
            assertThat(e.customerName()).isEqualTo("Pablo");
            assertThat(e.inbound()).isTrue();
        });
        assertThat(events.get(1)).satisfies(e -> {
            assertThat(e.customer()).isEqualTo("13175551400");
            assertThat(e.userId()).isEqualTo("US.2");
            assertThat(e.parentUserId()).isEqualTo("US.ENT.2");
            assertThat(e.customerName()).as("the contact is another customer").isNull();
            assertThat(e.inbound()).isFalse();
        });
        // naming no one itself, a call is the one contact's
        assertThat(events.get(2).userId()).isEqualTo("US.13491208655302741918");
        assertThat(events.get(3)).satisfies(e -> {
            assertThat(e.customer()).isNull();
            assertThat(e.userId()).isEqualTo("US.2");
            assertThat(e.parentUserId()).isEqualTo("US.ENT.2");
        });
        assertThat(calls.unreadable()).isZero();
    }

    @Test
    void callsGiveOneEventPerCallEventAndStatusWithItsDirection() {
        CallParser.Calls calls = CallParser.parse("102290129340398", json("""
                {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "16505553602", "phone_number_id": "106540352242922"},
                 "contacts": [{"profile": {"name": "Pablo"}, "wa_id": "13175551399"}],
                 "calls": [
                   {"id": "wacid.A", "to": "16505553602", "from": "13175551399", "event": "connect",
                    "timestamp": "1764759600", "direction": "USER_INITIATED"},
                   {"id": "wacid.B", "to": "+1 317-555-1400", "from": "16505553602", "event": "terminate",
                    "timestamp": "1764759660", "status": "FAILED", "duration": 0},
                   {"event": "connect"}],
                 "statuses": [{"id": "wacid.B", "timestamp": "1764759601", "type": "call", "status": "ACCEPTED",
                   "recipient_id": "13175551400"}]}"""), ARRIVAL);
        List<CallEvent> events = calls.events();
        assertThat(calls.unreadable()).isEqualTo(1);
        assertThat(events).extracting(CallEvent::key).containsExactly("call:wacid.A:connect",
                "call:wacid.B:terminate", "call:wacid.B:status:accepted");
        assertThat(events).extracting(CallEvent::inbound).containsExactly(true, false, false);
        assertThat(events).extracting(CallEvent::customer).containsExactly("13175551399", "13175551400",
                "13175551400");
        assertThat(events.get(0).customerName()).isEqualTo("Pablo");
        assertThat(events.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1764759600));
        assertThat(events.get(1).summary()).isEqualTo("Outgoing call ended (FAILED, 0 s)");
        assertThat(events.get(0).routing().phoneNumberId()).isEqualTo("106540352242922");
    }

    @Test
    void theDedupeKeyIsTheSameForARedeliveryAndDiffersOtherwise() {
        String body = """
                {"object": "whatsapp_business_account", "entry": [{"id": "1", "time": 1764759600, "changes": [
                 {"value": {"event": "UPGRADE"}, "field": "phone_number_quality_update"},
                 {"value": {"event": "UPGRADE"}, "field": "account_update"},
                 {"value": {"x": 1}, "field": "messages"}]}]}""";
        List<WebhookFields.Change> first = WebhookFields.changes(json(body), ARRIVAL);
        List<WebhookFields.Change> again = WebhookFields.changes(json(body.replace(", \"changes\"", ",  \"changes\"")),
                ARRIVAL);
        List<WebhookFields.Change> later = WebhookFields.changes(json(body.replace("1764759600", "1764759601")),
                ARRIVAL);
        assertThat(first).extracting(WebhookFields.Change::field).containsExactly("phone_number_quality_update",
                "account_update");
        assertThat(again.get(0).dedupeKey()).isEqualTo(first.get(0).dedupeKey());
        assertThat(first.get(1).dedupeKey()).isNotEqualTo(first.get(0).dedupeKey());
        assertThat(later.get(0).dedupeKey()).isNotEqualTo(first.get(0).dedupeKey());
        assertThat(WebhookFields.storableJson(json("{\"a\": \"x\\u0000y\"}"))).doesNotContain("\\u0000")
                .contains("\\uFFFD");
    }
}
