package io.wagateway.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wagateway.support.Conversations;
import io.wagateway.support.Metrics;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * The business account made visible, end to end with signed deliveries in the shapes of Meta's documented examples
 * (src/test/resources/fixtures/account): account and phone number changes show on the settings row, monotonic in
 * Meta's time, and are listed as account events; calls appear once in the customer's timeline; every other field,
 * and what cannot be routed, is kept raw, listed, counted and dropped after its retention. Redeliveries store
 * nothing twice.
 */
@QuarkusTest
class AccountWebhooksTest {

    @Inject
    RetentionJanitor janitor;

    /** One business account with its numbers: what the fixtures' placeholders are filled with. */
    record Account(String waba, List<String> settingsIds, List<String> numbers, List<String> displays) {
    }

    private static String digits(int length) {
        StringBuilder out = new StringBuilder().append(1 + ThreadLocalRandom.current().nextInt(9));
        while (out.length() < length) {
            out.append(ThreadLocalRandom.current().nextInt(10));
        }
        return out.toString();
    }

    /** A business account with {@code count} settings rows. */
    private static Account account(int count) {
        String waba = digits(15);
        List<String> ids = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        List<String> displays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String number = Conversations.newPhoneNumberId();
            ids.add(given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                    .body(Map.of("apiKey", "k", "phoneNumberId", number, "businessId", waba, "accessToken",
                            Conversations.ACCESS_TOKEN, "webhookToken", "verify-token-for-tests"))
                    .post("/api/v1/settings").then().statusCode(201).extract().path("id"));
            numbers.add(number);
            displays.add("1555" + digits(7));
        }
        return new Account(waba, ids, numbers, displays);
    }

    /** Fixture {@code name} for number {@code index} of {@code account} at {@code time}. */
    private static byte[] fixture(String name, Account account, int index, long time, String customer,
            String callId) {
        try (InputStream in = AccountWebhooksTest.class.getResourceAsStream("/fixtures/account/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{WABA}}", account.waba())
                    .replace("{{PHONE_NUMBER_ID}}", account.numbers().get(index))
                    .replace("{{DISPLAY}}", account.displays().get(index)).replace("{{TIME}}", Long.toString(time))
                    .replace("{{CUSTOMER}}", customer == null ? "" : customer)
                    .replace("{{CALL_ID}}", callId == null ? "" : callId);
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] fixture(String name, Account account, int index, long time) {
        return fixture(name, account, index, time, null, null);
    }

    /** A text message to number {@code index}: its metadata tells the gateway the number's display number. */
    private static byte[] message(Account account, int index, long time) {
        String from = Conversations.newCustomerPhone();
        return ("""
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"%s","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"Kerry"},"wa_id":"%s"}],"messages":[%s]},"field":"messages"}]}]}"""
                .formatted(account.waba(), account.displays().get(index), account.numbers().get(index), from,
                        Webhooks.text(from, "wamid.acct" + digits(12), time, "hi")))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static JsonPath settings(String id) {
        return given().header("Authorization", Conversations.admin()).get("/api/v1/settings/" + id).then()
                .statusCode(200).extract().jsonPath();
    }

    private static JsonPath events(String settingsId, Integer limit, String cursor) {
        var request = given().header("Authorization", Conversations.admin());
        if (limit != null) {
            request = request.queryParam("limit", limit);
        }
        if (cursor != null) {
            request = request.queryParam("cursor", cursor);
        }
        return request.get("/api/v1/settings/" + settingsId + "/events").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void qualityUpdatesShowTheLatestOnTheRightSettingsRowOnceEach() {
        Account account = account(2);
        long t = Instant.now().getEpochSecond() - 3600;
        // The gateway learns number 0's display number from a message delivery.
        Webhooks.post(message(account, 0, t)).then().statusCode(200);

        byte[] upgrade = fixture("phone_number_quality_update-upgrade.json", account, 0, t + 100);
        Webhooks.post(upgrade).then().statusCode(200);
        Webhooks.post(upgrade).then().statusCode(200);

        JsonPath first = settings(account.settingsIds().get(0));
        assertThat(first.getString("messagingLimitTier")).isEqualTo("TIER_10K");
        assertThat(first.getString("displayPhoneNumber")).isEqualTo(account.displays().get(0));
        assertThat(first.getString("accountUpdatedAt")).isEqualTo(Instant.ofEpochSecond(t + 100).toString());
        // Routed by display number: the other number of the account is untouched.
        assertThat(settings(account.settingsIds().get(1)).getString("messagingLimitTier")).isNull();
        assertThat(Sql.count("select count(*) from whatsapp_account_events where settings_id = ?::uuid",
                account.settingsIds().get(0))).isEqualTo(1);

        // A newer FLAGGED sets the rating and the tier; an older one delivered late is stored but changes nothing.
        Webhooks.post(fixture("phone_number_quality_update-flagged.json", account, 0, t + 300)).then()
                .statusCode(200);
        Webhooks.post(fixture("phone_number_quality_update-upgrade.json", account, 0, t + 200).clone()).then()
                .statusCode(200);
        JsonPath latest = settings(account.settingsIds().get(0));
        assertThat(latest.getString("qualityRating")).isEqualTo("RED");
        assertThat(latest.getString("messagingLimitTier")).isEqualTo("TIER_1K");
        assertThat(latest.getString("accountUpdatedAt")).isEqualTo(Instant.ofEpochSecond(t + 300).toString());

        // Listed newest first (by arrival), paged with a cursor.
        JsonPath page1 = events(account.settingsIds().get(0), 2, null);
        assertThat(page1.getList("items.event", String.class)).containsExactly("UPGRADE", "FLAGGED");
        assertThat(page1.getString("items[1].qualityRating")).isEqualTo("RED");
        assertThat(page1.getString("items[0].details.oldLimit")).isEqualTo("TIER_1K");
        assertThat(page1.getString("items[0].value.display_phone_number")).isEqualTo(account.displays().get(0));
        assertThat(page1.getString("nextCursor")).isNotNull();
        JsonPath page2 = events(account.settingsIds().get(0), 2, page1.getString("nextCursor"));
        assertThat(page2.getList("items.event", String.class)).containsExactly("UPGRADE");
        assertThat(page2.getString("items[0].eventAt")).isEqualTo(Instant.ofEpochSecond(t + 100).toString());
        assertThat(page2.getString("nextCursor")).isNull();

        // One whatsapp.account.updated per stored event, on the number, subject the settings id.
        List<Map<String, Object>> feed = Sql.rows("select phone_number_id, subject::text as subject, "
                + "data->>'event' as event, data->>'messagingLimitTier' as tier from gateway_events "
                + "where type = 'whatsapp.account.updated' and data->>'settingsId' = ? order by seq",
                account.settingsIds().get(0));
        assertThat(feed).extracting(e -> e.get("event")).containsExactly("UPGRADE", "FLAGGED", "UPGRADE");
        assertThat(feed).allSatisfy(e -> assertThat(e).containsEntry("phone_number_id", account.numbers().get(0))
                .containsEntry("subject", account.settingsIds().get(0)));
        assertThat(feed.get(2)).containsEntry("tier", "TIER_1K");
    }

    @Test
    void aQualityUpdateForAnUnknownDisplayNumberGoesToEveryNumberOfTheAccount() {
        Account account = account(2);
        long t = Instant.now().getEpochSecond() - 3600;
        Webhooks.post(fixture("phone_number_quality_update-upgrade.json", account, 1, t)).then().statusCode(200);
        for (String id : account.settingsIds()) {
            assertThat(settings(id).getString("messagingLimitTier")).isEqualTo("TIER_10K");
        }
    }

    @Test
    void accountUpdatesSetTheStatusOfEveryNumberAndInformationalOnesDoNot() {
        Account account = account(2);
        long t = Instant.now().getEpochSecond() - 3600;
        Webhooks.post(fixture("account_update-verified.json", account, 0, t)).then().statusCode(200);
        for (String id : account.settingsIds()) {
            assertThat(settings(id).getString("accountStatus")).isEqualTo("VERIFIED_ACCOUNT");
        }
        Webhooks.post(fixture("account_update-restriction.json", account, 0, t + 10)).then().statusCode(200);
        Webhooks.post(fixture("account_update-pricing.json", account, 0, t + 20)).then().statusCode(200);
        // An older ban notice delivered late: an event, not the status.
        Webhooks.post(fixture("account_update-disabled.json", account, 0, t + 5)).then().statusCode(200);
        JsonPath row = settings(account.settingsIds().get(1));
        assertThat(row.getString("accountStatus")).isEqualTo("ACCOUNT_RESTRICTION");
        assertThat(row.getString("accountUpdatedAt")).isEqualTo(Instant.ofEpochSecond(t + 10).toString());

        // The list shows the same state as the row.
        JsonPath list = given().header("Authorization", Conversations.admin()).queryParam("limit", 200)
                .get("/api/v1/settings").then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("items.findAll { it.businessId == '" + account.waba() + "' }.accountStatus",
                String.class)).containsExactly("ACCOUNT_RESTRICTION", "ACCOUNT_RESTRICTION");

        JsonPath listed = events(account.settingsIds().get(1), null, null);
        assertThat(listed.getList("items.event", String.class)).containsExactly("DISABLED_UPDATE",
                "AUTH_INTL_PRICE_ELIGIBILITY_UPDATE", "ACCOUNT_RESTRICTION", "VERIFIED_ACCOUNT");
        assertThat(listed.getString("items[0].accountStatus")).isEqualTo("SCHEDULE_FOR_DISABLE");
        assertThat(listed.getString("items[0].details.banState")).isEqualTo("SCHEDULE_FOR_DISABLE");
        assertThat(listed.getString("items[1].accountStatus")).isNull();
        assertThat(listed.getString("items[2].details.restrictions[0].restriction_type"))
                .isEqualTo("RESTRICTED_BIZ_INITIATED_MESSAGING");

        // A later lifting: DISABLED_UPDATE with a newer time wins.
        Webhooks.post(fixture("account_update-disabled.json", account, 0, t + 30)).then().statusCode(200);
        assertThat(settings(account.settingsIds().get(0)).getString("accountStatus"))
                .isEqualTo("SCHEDULE_FOR_DISABLE");
    }

    @Test
    void alertsAndNameDecisionsAreListedOnTheirNumber() {
        Account account = account(2);
        long t = Instant.now().getEpochSecond() - 3600;
        Webhooks.post(message(account, 1, t)).then().statusCode(200);
        Webhooks.post(fixture("account_alerts.json", account, 0, t + 1)).then().statusCode(200);
        Webhooks.post(fixture("phone_number_name_update.json", account, 1, t + 2)).then().statusCode(200);

        JsonPath zero = events(account.settingsIds().get(0), null, null);
        assertThat(zero.getList("items.field", String.class)).containsExactly("account_alerts");
        assertThat(zero.getString("items[0].event")).isEqualTo("INCREASED_CAPABILITIES_ELIGIBILITY_FAILED");
        assertThat(zero.getString("items[0].details.alertSeverity")).isEqualTo("WARNING");
        JsonPath one = events(account.settingsIds().get(1), null, null);
        assertThat(one.getList("items.field", String.class)).containsExactly("phone_number_name_update");
        assertThat(one.getString("items[0].event")).isEqualTo("APPROVED");
        assertThat(one.getString("items[0].details.requestedVerifiedName")).isEqualTo("Lucky Shrub");
        // Events carry no state change: the row shows none.
        assertThat(settings(account.settingsIds().get(1)).getString("accountStatus")).isNull();

        given().header("Authorization", Conversations.admin()).get("/api/v1/settings/" + java.util.UUID.randomUUID()
                + "/events").then().statusCode(404);
        given().header("Authorization", Conversations.admin()).queryParam("cursor", "nope")
                .get("/api/v1/settings/" + account.settingsIds().get(0) + "/events").then().statusCode(400);
        given().get("/api/v1/settings/" + account.settingsIds().get(0) + "/events").then().statusCode(401);
    }

    @Test
    void callsAppearOnceEachInTheCustomersTimeline() {
        Account account = account(1);
        long t = Instant.now().getEpochSecond() - 600;
        String customer = Conversations.newCustomerPhone();
        String callId = "wacid.HBgLMTIwNjU1NTAxMDcVAgARGCA" + digits(12);
        byte[] connect = fixture("calls-connect.json", account, 0, t, customer, callId);
        Webhooks.post(connect).then().statusCode(200);
        Webhooks.post(connect).then().statusCode(200);
        Webhooks.post(fixture("calls-terminate.json", account, 0, t + 50, customer, callId)).then().statusCode(200);

        List<Map<String, Object>> calls = Sql.rows("select m.message_id, m.direction::text as direction, "
                + "m.message_type, m.content, s.id::text as session_id, s.last_inbound_at from whatsapp_messages m "
                + "join whatsapp_sessions s on s.id = m.session_id where s.phone_number = ? order by m.wa_timestamp",
                customer);
        assertThat(calls).extracting(c -> c.get("message_id")).containsExactly("call:" + callId + ":connect",
                "call:" + callId + ":terminate");
        assertThat(calls).allSatisfy(c -> assertThat(c).containsEntry("direction", "INBOUND")
                .containsEntry("message_type", "call"));
        assertThat((String) calls.get(1).get("content")).contains("COMPLETED").contains("50 s");
        // A user's call opens the customer service window, like a message.
        assertThat(calls.get(0).get("last_inbound_at")).isNotNull();
        String session = (String) calls.get(0).get("session_id");
        given().header("Authorization", Conversations.admin()).get("/api/v1/sessions/" + session + "/messages")
                .then().statusCode(200).body("items", hasSize(2)).body("items.messageType", contains("call", "call"));
        assertThat(Sql.count("select count(*) from gateway_events where type = 'whatsapp.message.received' "
                + "and subject = ?::uuid and data->>'messageType' = 'call'", session)).isEqualTo(2);

        // A business-initiated call and its status: OUTBOUND, the window left as it was (closed: none before).
        String callee = Conversations.newCustomerPhone();
        String outgoing = "wacid.HBgLMTIwNjU1NTAxMDcVAgARGCB" + digits(12);
        byte[] business = fixture("calls-business-initiated.json", account, 0, t + 100, callee, outgoing);
        Webhooks.post(business).then().statusCode(200);
        Webhooks.post(business).then().statusCode(200);
        List<Map<String, Object>> out = Sql.rows("select m.message_id, m.direction::text as direction, "
                + "s.last_inbound_at from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ? order by m.message_id", callee);
        assertThat(out).extracting(c -> c.get("message_id")).containsExactly("call:" + outgoing + ":connect",
                "call:" + outgoing + ":status:ringing");
        assertThat(out).allSatisfy(c -> assertThat(c).containsEntry("direction", "OUTBOUND")
                .containsEntry("last_inbound_at", null));
        assertThat(Sql.count("select count(*) from whatsapp_webhook_events where payload::text like ?",
                "%" + callId + "%")).isZero();
    }

    @Test
    void dataPostgresqlRefusesIsKeptRawInsteadOfFailingTheDelivery() {
        Account account = account(1);
        long t = Instant.now().getEpochSecond() - 3600;
        // A NUL in a string: no jsonb or text value may hold it; a retry could not store it either.
        byte[] nul = new String(fixture("account_update-restriction.json", account, 0, t), StandardCharsets.UTF_8)
                .replace("\"ACCOUNT_RESTRICTION\"", "\"ACCOUNT_\\u0000RESTRICTION\"")
                .getBytes(StandardCharsets.UTF_8);
        Webhooks.post(nul).then().statusCode(200);
        Webhooks.post(nul).then().statusCode(200);
        assertThat(Sql.rows("select reason, payload->>'event' as event from whatsapp_webhook_events "
                + "where entry_id = ?", account.waba())).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("reason", "unrouted")
                        .containsEntry("event", "ACCOUNT_\uFFFDRESTRICTION"));
        assertThat(settings(account.settingsIds().get(0)).getString("accountStatus")).isNull();
    }

    @Test
    void aRowsOwnAppSecretChangesOnlyItsOwnBusinessAccount() {
        Account mine = account(0);
        Account other = account(1);
        String secret = java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                .putLong(ThreadLocalRandom.current().nextLong()).putLong(ThreadLocalRandom.current().nextLong())
                .array());
        given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                .body(Map.of("apiKey", "k", "phoneNumberId", Conversations.newPhoneNumberId(), "businessId",
                        mine.waba(), "accessToken", Conversations.ACCESS_TOKEN, "webhookToken",
                        "verify-token-for-tests", "appSecret", secret))
                .post("/api/v1/settings").then().statusCode(201);
        long t = Instant.now().getEpochSecond() - 3600;
        byte[] foreign = fixture("account_update-restriction.json", other, 0, t);
        Webhooks.post(foreign, SignatureVerifier.sign(secret, foreign)).then().statusCode(200);
        assertThat(settings(other.settingsIds().get(0)).getString("accountStatus")).isNull();
        assertThat(Sql.count("select count(*) from whatsapp_webhook_events where entry_id = ? and reason = "
                + "'unrouted'", other.waba())).isEqualTo(1);
        // The same change signed with the configured app secret is the other account's.
        Webhooks.post(foreign).then().statusCode(200);
        assertThat(settings(other.settingsIds().get(0)).getString("accountStatus")).isEqualTo("ACCOUNT_RESTRICTION");
    }

    @Test
    void otherFieldsAndUnroutableChangesAreKeptRawListedCountedAndRetained() {
        Account account = account(1);
        long t = Instant.now().getEpochSecond() - 600;
        double before = Metrics.series(
                "gateway_webhook_fields_total{field=\"group_lifecycle_update\",handled=\"false\"}");
        byte[] group = fixture("group_lifecycle_update.json", account, 0, t);
        Webhooks.post(group).then().statusCode(200);
        Webhooks.post(group).then().statusCode(200);
        // An account change for a business account no settings row belongs to: kept raw, not lost.
        Account unknown = new Account(digits(15), List.of(), List.of("1"), List.of("15550000000"));
        Webhooks.post(fixture("account_update-verified.json", unknown, 0, t)).then().statusCode(200);
        // A field nobody knows yet.
        String futureField = "future_field_" + digits(4);
        byte[] future = """
                {"object":"whatsapp_business_account","entry":[{"id":"%s","time":%d,"changes":[
                {"value":{"something":"new"},"field":"%s"}]}]}""".formatted(account.waba(), t, futureField)
                .getBytes(StandardCharsets.UTF_8);
        Webhooks.post(future).then().statusCode(200);

        assertThat(Sql.count("select count(*) from whatsapp_webhook_events where entry_id = ?", account.waba()))
                .isEqualTo(2);
        JsonPath groups = given().header("Authorization", Conversations.admin())
                .queryParam("field", "group_lifecycle_update").queryParam("limit", 200).get("/api/v1/webhook-events")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Object> kept = groups.getList("items", Map.class).stream()
                .filter(i -> account.waba().equals(((Map<?, ?>) i).get("entryId"))).findFirst().orElseThrow();
        assertThat(kept).containsEntry("reason", "unhandled").containsEntry("field", "group_lifecycle_update");
        assertThat(((Map<?, ?>) kept.get("payload")).get("groups")).isNotNull();
        assertThat(kept.get("entryTime")).isEqualTo(Instant.ofEpochSecond(t).toString());

        given().header("Authorization", Conversations.admin()).queryParam("field", "account_update")
                .queryParam("limit", 200).get("/api/v1/webhook-events").then().statusCode(200)
                .body("items.findAll { it.entryId == '" + unknown.waba() + "' }.reason", contains("unrouted"));
        // Newest first, keyset paged.
        var page = given().header("Authorization", Conversations.admin()).queryParam("limit", 1)
                .get("/api/v1/webhook-events").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].field", equalTo(futureField)).body("nextCursor", notNullValue()).extract().jsonPath();
        given().header("Authorization", Conversations.admin()).queryParam("limit", 1)
                .queryParam("cursor", page.getString("nextCursor")).get("/api/v1/webhook-events").then()
                .statusCode(200).body("items[0].field", equalTo("account_update"));
        given().header("Authorization", Conversations.admin()).queryParam("cursor", "x").get("/api/v1/webhook-events")
                .then().statusCode(400);
        given().get("/api/v1/webhook-events").then().statusCode(401);

        // Counted by field (the redelivery too: it was seen), with a bounded label set.
        assertThat(Metrics.series("gateway_webhook_fields_total{field=\"group_lifecycle_update\",handled=\"false\"}"))
                .isEqualTo(before + 2);
        assertThat(Metrics.value("gateway_webhook_fields_total", "field=\"account_update\"")).isPositive();

        // Retention: what is older than gateway.webhook-events.retention is dropped, the rest kept.
        Sql.update("update whatsapp_webhook_events set received_at = now() - interval '31 days' where field = ?",
                "group_lifecycle_update");
        assertThat(janitor.purgeWebhookEvents().await().atMost(Duration.ofSeconds(30))).isPositive();
        assertThat(Sql.count("select count(*) from whatsapp_webhook_events where field = 'group_lifecycle_update'"))
                .isZero();
        assertThat(Sql.count("select count(*) from whatsapp_webhook_events where field = ?", futureField))
                .isEqualTo(1);
        given().header("Authorization", Conversations.admin()).queryParam("field", "group_lifecycle_update")
                .get("/api/v1/webhook-events").then().statusCode(200).body("items", hasSize(0))
                .body("nextCursor", nullValue());
    }
}
