package io.wagateway.webhook;

import static io.restassured.RestAssured.given;
import static io.wagateway.webhook.WebhookResourceTest.rowsFor;
import static io.wagateway.webhook.WebhookResourceTest.uniquePhone;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagateway.support.Conversations;
import io.wagateway.support.Metrics;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * A settings row's app secret signs only for that row's number and business; the configured app secrets
 * sign for every number. Business A's secret signing for business B's number stores nothing.
 */
@QuarkusTest
class WebhookSignerScopeTest {

    /** One settings row: its number, business (WABA) and app secret. */
    record Row(String phoneNumberId, String businessId, String appSecret) {
    }

    static String newSecret() {
        return "app_secret_" + UUID.randomUUID().toString().replace("-", "");
    }

    static String newBusinessId() {
        return String.valueOf(300_000_000_000_000L + ThreadLocalRandom.current().nextLong(99_999_999_999_999L));
    }

    static Row row(String businessId, String appSecret) {
        String phoneNumberId = Conversations.newPhoneNumberId();
        given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                .body(Map.of("apiKey", "k", "phoneNumberId", phoneNumberId, "businessId", businessId,
                        "accessToken", Conversations.ACCESS_TOKEN, "webhookToken", "verify-token-" + UUID.randomUUID(),
                        "appSecret", appSecret))
                .post("/api/v1/settings").then().statusCode(201);
        return new Row(phoneNumberId, businessId, appSecret);
    }

    static byte[] inbound(String wabaId, String phoneNumberId, String from, String name, String wamid, long ts) {
        return ("""
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000000","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"%s"},"wa_id":"%s"}],"messages":[%s]},"field":"messages"}]}]}""")
                .formatted(wabaId, phoneNumberId, name, from, Webhooks.text(from, wamid, ts, "hello"))
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] status(String wabaId, String phoneNumberId, String wamid, String status, long ts) {
        return ("""
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000000","phone_number_id":"%s"},
                "statuses":[%s]},"field":"messages"}]}]}""")
                .formatted(wabaId, phoneNumberId, Webhooks.status(wamid, status, ts)).getBytes(StandardCharsets.UTF_8);
    }

    static Response post(byte[] body, String secret) {
        return Webhooks.post(body, SignatureVerifier.sign(secret, body));
    }

    static Map<String, Object> session(String phone) {
        return Sql.row("""
                select s.phone_number_id, s.last_inbound_at, s.last_message_at, s.updated_at, p.display_name
                from whatsapp_sessions s left join customer_profiles p on p.id = s.customer_profile_id
                where s.phone_number = ?""", phone);
    }

    static double foreignItems() {
        return Metrics.value("whatsapp_webhook_items_total", "outcome=\"foreign\"");
    }

    @Test
    void anotherBusinessesSecretStoresNothingAndMovesNoSession() {
        Row a = row(newBusinessId(), newSecret());
        String businessB = newBusinessId();
        String secretB = newSecret();
        // B: one Meta app, two numbers, so both rows carry the same app secret.
        Row b1 = row(businessB, secretB);
        Row b2 = row(businessB, secretB);
        String customer = uniquePhone();
        post(inbound(b1.businessId(), b1.phoneNumberId(), customer, "Customer", uniqueWamid(), 1768466400), secretB)
                .then().statusCode(200).body("stored", equalTo(1));
        Map<String, Object> before = session(customer);
        assertThat(before.get("phone_number_id")).isEqualTo(b1.phoneNumberId());
        double foreignBefore = foreignItems();

        // A's secret, B's business and number: acknowledged, not stored, the session untouched.
        String forged = uniqueWamid();
        byte[] forgedBody = inbound(b2.businessId(), b2.phoneNumberId(), customer, "Forged", forged, 1768466500);
        post(forgedBody, a.appSecret()).then().statusCode(200).body("stored", equalTo(0));
        // A's secret and A's business as entry.id, B's number: the number still is not A's.
        String spoofed = uniqueWamid();
        post(inbound(a.businessId(), b2.phoneNumberId(), customer, "Spoofed", spoofed, 1768466600), a.appSecret())
                .then().statusCode(200).body("stored", equalTo(0));
        assertThat(rowsFor(forged)).isZero();
        assertThat(rowsFor(spoofed)).isZero();
        assertThat(session(customer)).isEqualTo(before);
        assertThat(foreignItems() - foreignBefore).isEqualTo(2);

        // The same delivery under B's secret (which also signs for B's other number) is stored.
        post(forgedBody, secretB).then().statusCode(200).body("stored", equalTo(1));
        assertThat(rowsFor(forged)).isEqualTo(1);
        Map<String, Object> moved = session(customer);
        assertThat(moved.get("phone_number_id")).isEqualTo(b2.phoneNumberId());
        assertThat(moved.get("display_name")).isEqualTo("Forged");

        // Under the configured app secret too; and A's own number under A's secret.
        String other = uniqueWamid();
        byte[] otherBody = inbound(b1.businessId(), b1.phoneNumberId(), customer, "Customer", other, 1768466700);
        post(otherBody, a.appSecret()).then().statusCode(200).body("stored", equalTo(0));
        assertThat(rowsFor(other)).isZero();
        Webhooks.post(otherBody).then().statusCode(200).body("stored", equalTo(1));
        assertThat(rowsFor(other)).isEqualTo(1);
        String own = uniqueWamid();
        String customerOfA = uniquePhone();
        post(inbound(a.businessId(), a.phoneNumberId(), customerOfA, "A's", own, 1768466800), a.appSecret())
                .then().statusCode(200).body("stored", equalTo(1));
        assertThat(session(customerOfA).get("phone_number_id")).isEqualTo(a.phoneNumberId());
    }

    @Test
    void anotherBusinessesSecretDoesNotTouchTheStatusOfItsMessages() {
        Row a = row(newBusinessId(), newSecret());
        Row b = row(newBusinessId(), newSecret());
        String wamid = uniqueWamid();
        String customer = uniquePhone();
        Sql.update("insert into whatsapp_sessions (phone_number, phone_number_id, updated_at) values (?, ?, now())",
                customer, b.phoneNumberId());
        Sql.update("""
                insert into whatsapp_messages (session_id, message_id, direction, content, message_type, status,
                                               status_rank, phone_number_id)
                select id, ?, 'OUTBOUND', 'Your order shipped', 'text', 'accepted', 1, ? from whatsapp_sessions
                where phone_number = ?""", wamid, b.phoneNumberId(), customer);

        // For B's number, and for A's own number naming B's wamid: neither applied nor kept pending.
        post(status(b.businessId(), b.phoneNumberId(), wamid, "failed", 1768467000), a.appSecret())
                .then().statusCode(200).body("statusesApplied", equalTo(0)).body("statusesPending", equalTo(0));
        post(status(a.businessId(), a.phoneNumberId(), wamid, "failed", 1768467001), a.appSecret())
                .then().statusCode(200).body("statusesApplied", equalTo(0)).body("statusesPending", equalTo(0));
        assertThat(Sql.row("select status from whatsapp_messages where message_id = ?", wamid).get("status"))
                .isEqualTo("accepted");
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid)).isZero();

        // B's secret, then the configured one, move it forward.
        post(status(b.businessId(), b.phoneNumberId(), wamid, "delivered", 1768467002), b.appSecret())
                .then().statusCode(200).body("statusesApplied", equalTo(1));
        Webhooks.post(status(b.businessId(), b.phoneNumberId(), wamid, "read", 1768467003)).then().statusCode(200)
                .body("statusesApplied", equalTo(1));
        assertThat(Sql.row("select status from whatsapp_messages where message_id = ?", wamid).get("status"))
                .isEqualTo("read");
    }
}
