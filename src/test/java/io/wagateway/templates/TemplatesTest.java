package io.wagateway.templates;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagateway.support.Conversations;
import io.wagateway.support.GraphApiMock;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * Templates and marketing preferences end to end: the sync reads every page of the Graph API stand-in, the template
 * webhooks (Meta's documented shapes, signed) update the rows monotonically and idempotently, GET /api/v1/templates
 * filters and pages, and a send of a template that is not APPROVED, or of a MARKETING one to a customer who stopped
 * marketing messages, is refused with nothing sent.
 */
@QuarkusTest
class TemplatesTest {

    private static final String VERSION = ConfigProvider.getConfig().getValue("gateway.graph.api-version",
            String.class);

    private WireMock graph;

    @BeforeEach
    void resetGraph() {
        graph = GraphApiMock.resetClient();
    }

    private static String newWaba() {
        return String.valueOf(300_000_000_000_000L + ThreadLocalRandom.current().nextLong(99_999_999_999_999L));
    }

    private static String newTemplateId() {
        return String.valueOf(900_000_000_000_000L + ThreadLocalRandom.current().nextLong(99_999_999_999_999L));
    }

    /** An active settings row of business account {@code waba}; its phone number id. */
    private static String account(String waba) {
        String number = Conversations.newPhoneNumberId();
        given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                .body(Map.of("apiKey", "k", "phoneNumberId", number, "businessId", waba, "accessToken",
                        Conversations.ACCESS_TOKEN, "webhookToken", "verify-token-for-tests"))
                .post("/api/v1/settings").then().statusCode(201);
        return number;
    }

    private static String template(String id, String name, String status, String category) {
        return """
                {"name": "%s", "components": [{"type": "BODY", "text": "Your order {{1}} has shipped"}],
                 "language": "en_US", "status": "%s", "category": "%s", "id": "%s",
                 "quality_score": {"score": "GREEN", "date": 1733222400}}""".formatted(name, status, category, id);
    }

    private static long templateEvents(String waba) {
        return Sql.count("select count(*) from gateway_events where type = 'whatsapp.template.updated' "
                + "and phone_number_id = ?", waba);
    }

    private void stubPage(String waba, String after, String body) {
        graph.register(get(urlPathEqualTo("/" + VERSION + "/" + waba + "/message_templates"))
                .withQueryParam("after", after == null ? absent() : WireMock.equalTo(after))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** A signed delivery of one change of {@code field} for entry {@code waba} at {@code time}. */
    private static byte[] change(String waba, long time, String field, String valueJson) {
        return """
                {"object": "whatsapp_business_account", "entry": [{"id": "%s", "time": %d, "changes": [
                  {"value": %s, "field": "%s"}]}]}""".formatted(waba, time, valueJson, field)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] status(String waba, long time, String templateId, String name, String event, String reason) {
        return change(waba, time, "message_template_status_update", """
                {"event": "%s", "message_template_id": %s, "message_template_name": "%s",
                 "message_template_language": "en_US", "reason": "%s", "message_template_category": "UTILITY"}"""
                .formatted(event, templateId, name, reason));
    }

    private static Map<String, Object> row(String waba, String templateId) {
        return Sql.row("select name, language, category, status, quality, rejection_reason, components::text as "
                + "components, updated_at from whatsapp_templates where waba_id = ? and template_id = ?", waba,
                templateId);
    }

    @Test
    void syncReadsEveryPageOfEveryActiveAccountAndUpserts() {
        String waba = newWaba();
        account(waba);
        String[] ids = { newTemplateId(), newTemplateId(), newTemplateId() };
        String base = "http://127.0.0.1/" + VERSION + "/" + waba + "/message_templates?after=";
        stubPage(waba, null, """
                {"data": [%s, %s], "paging": {"cursors": {"before": "b0", "after": "c1"}, "next": "%sc1"}}"""
                .formatted(template(ids[0], "order_shipped", "APPROVED", "UTILITY"),
                        template(ids[1], "spring_sale", "PAUSED", "MARKETING"), base));
        stubPage(waba, "c1", """
                {"data": [%s], "paging": {"cursors": {"before": "c1", "after": "c2"}}}"""
                .formatted(template(ids[2], "login_code", "REJECTED", "AUTHENTICATION").replace("\"id\"",
                        "\"rejected_reason\": \"INVALID_FORMAT\", \"id\"")));

        given().header("Authorization", Conversations.admin()).post("/api/v1/templates/sync").then().statusCode(200)
                .body("skipped", equalTo(false)).body("failedAccounts", not(hasItem(waba)));

        graph.verifyThat(1, getRequestedFor(urlPathEqualTo("/" + VERSION + "/" + waba + "/message_templates"))
                .withQueryParam("after", absent()).withHeader("Authorization",
                        WireMock.equalTo("Bearer " + Conversations.ACCESS_TOKEN)));
        graph.verifyThat(1, getRequestedFor(urlPathEqualTo("/" + VERSION + "/" + waba + "/message_templates"))
                .withQueryParam("after", WireMock.equalTo("c1")));
        assertThat(row(waba, ids[0])).containsEntry("name", "order_shipped").containsEntry("status", "APPROVED")
                .containsEntry("category", "UTILITY").containsEntry("quality", "GREEN")
                .containsEntry("language", "en_US");
        assertThat((String) row(waba, ids[0]).get("components")).contains("Your order {{1}} has shipped");
        assertThat(row(waba, ids[2])).containsEntry("status", "REJECTED")
                .containsEntry("rejection_reason", "INVALID_FORMAT");
        // each template seen for the first time is announced, as a webhook change would be
        assertThat(templateEvents(waba)).isEqualTo(3);

        // A second sync after a change at Meta replaces the listed state; nothing is stored twice.
        resetGraph();
        stubPage(waba, null, """
                {"data": [%s], "paging": {"cursors": {"before": "b0", "after": "c9"}}}"""
                .formatted(template(ids[1], "spring_sale", "APPROVED", "MARKETING")));
        given().header("Authorization", Conversations.admin()).post("/api/v1/templates/sync").then().statusCode(200);
        assertThat(row(waba, ids[1])).containsEntry("status", "APPROVED");
        assertThat(Sql.count("select count(*) from whatsapp_templates where waba_id = ?", waba)).isEqualTo(3);
        assertThat(templateEvents(waba)).as("the template that changed").isEqualTo(4);
        assertThat(Sql.count("select count(*) from gateway_events where type = 'whatsapp.template.updated' "
                + "and data->>'templateId' = ? and data->>'status' = 'APPROVED'", ids[1])).isEqualTo(1);
        // the same listing again changes nothing and announces nothing
        given().header("Authorization", Conversations.admin()).post("/api/v1/templates/sync").then().statusCode(200);
        assertThat(templateEvents(waba)).isEqualTo(4);

        // The list filters and pages.
        given().header("Authorization", Conversations.admin()).queryParam("category", "AUTHENTICATION")
                .queryParam("name", "login_code").get("/api/v1/templates").then().statusCode(200)
                .body("items.templateId", contains(ids[2])).body("items[0].wabaId", equalTo(waba))
                .body("items[0].rejectionReason", equalTo("INVALID_FORMAT"));
        var first = given().header("Authorization", Conversations.admin()).queryParam("limit", 1)
                .queryParam("status", "APPROVED").get("/api/v1/templates").then().statusCode(200)
                .body("items", hasSize(1)).body("nextCursor", notNullValue()).extract().jsonPath();
        given().header("Authorization", Conversations.admin()).queryParam("limit", 1).queryParam("status", "APPROVED")
                .queryParam("cursor", first.getString("nextCursor")).get("/api/v1/templates").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", not(equalTo(first.getString("items[0].id"))));
        given().header("Authorization", Conversations.admin()).queryParam("cursor", "not-a-cursor")
                .get("/api/v1/templates").then().statusCode(400);
        given().get("/api/v1/templates").then().statusCode(401);
    }

    @Test
    void aSyncWhileAnotherReplicaHoldsTheLockIsSkipped() throws Exception {
        String waba = newWaba();
        account(waba);
        stubPage(waba, null, """
                {"data": [%s], "paging": {"cursors": {"before": "b0", "after": "c1"}}}"""
                .formatted(template(newTemplateId(), "lock_test", "APPROVED", "UTILITY")));
        try (java.sql.Connection other = io.wagateway.support.TestDatabase.current().connect();
                java.sql.Statement st = other.createStatement()) {
            st.execute("select pg_advisory_lock(1464336244, 15)");
            given().header("Authorization", Conversations.admin()).post("/api/v1/templates/sync").then()
                    .statusCode(200).body("skipped", equalTo(true)).body("accounts", equalTo(0));
            graph.verifyThat(0, anyRequestedFor(anyUrl()));
            st.execute("select pg_advisory_unlock(1464336244, 15)");
        }
        given().header("Authorization", Conversations.admin()).post("/api/v1/templates/sync").then().statusCode(200)
                .body("skipped", equalTo(false));
        assertThat(Sql.count("select count(*) from whatsapp_templates where waba_id = ? and name = 'lock_test'",
                waba)).isEqualTo(1);
    }

    @Test
    void statusWebhooksAreIdempotentAndNeverMoveBackInTime() {
        String waba = newWaba();
        account(waba);
        String id = newTemplateId();
        long t = Instant.now().getEpochSecond() - 600;

        Webhooks.post(status(waba, t, id, "welcome_back", "APPROVED", "NONE")).then().statusCode(200);
        Map<String, Object> approved = row(waba, id);
        assertThat(approved).containsEntry("status", "APPROVED").containsEntry("name", "welcome_back")
                .containsEntry("rejection_reason", null).containsEntry("category", "UTILITY");

        // Redelivery: nothing changes, not even updated_at.
        Webhooks.post(status(waba, t, id, "welcome_back", "APPROVED", "NONE")).then().statusCode(200);
        assertThat(row(waba, id).get("updated_at")).isEqualTo(approved.get("updated_at"));

        // A later PAUSED applies; an older REJECTED delivered after it does not move the status back.
        Webhooks.post(status(waba, t + 120, id, "welcome_back", "PAUSED", "NONE")).then().statusCode(200);
        Webhooks.post(status(waba, t + 60, id, "welcome_back", "REJECTED", "INVALID_FORMAT")).then().statusCode(200);
        assertThat(row(waba, id)).containsEntry("status", "PAUSED").containsEntry("rejection_reason", null);

        // One whatsapp.template.updated per change that changed the row, none for the redelivery or the late one.
        List<Map<String, Object>> events = Sql.rows("select phone_number_id, data->>'status' as status, "
                + "data->>'templateId' as template_id from gateway_events where type = 'whatsapp.template.updated' "
                + "and data->>'wabaId' = ? order by seq", waba);
        assertThat(events).extracting(e -> e.get("status")).containsExactly("APPROVED", "PAUSED");
        assertThat(events).allSatisfy(e -> assertThat(e).containsEntry("phone_number_id", waba)
                .containsEntry("template_id", id));
    }

    @Test
    void categoryQualityAndComponentsWebhooksUpdateTheirPartOnly() {
        String waba = newWaba();
        account(waba);
        String id = newTemplateId();
        long t = Instant.now().getEpochSecond() - 600;
        Webhooks.post(status(waba, t, id, "order_update", "APPROVED", "NONE")).then().statusCode(200);

        Webhooks.post(change(waba, t + 10, "template_category_update", """
                {"message_template_id": %s, "message_template_name": "order_update",
                 "message_template_language": "en_US", "previous_category": "UTILITY", "new_category": "MARKETING"}"""
                .formatted(id))).then().statusCode(200);
        Webhooks.post(change(waba, t + 20, "message_template_quality_update", """
                {"previous_quality_score": "GREEN", "new_quality_score": "YELLOW", "message_template_id": %s,
                 "message_template_name": "order_update", "message_template_language": "en_US"}""".formatted(id)))
                .then().statusCode(200);
        Webhooks.post(change(waba, t + 30, "message_template_components_update", """
                {"message_template_id": %s, "message_template_name": "order_update",
                 "message_template_language": "en_US", "message_template_element": "Your order {{1}} is on its way",
                 "message_template_footer": "Reply STOP to opt out"}""".formatted(id))).then().statusCode(200);
        // An older quality update is ignored.
        Webhooks.post(change(waba, t + 15, "message_template_quality_update", """
                {"previous_quality_score": "UNKNOWN", "new_quality_score": "RED", "message_template_id": %s,
                 "message_template_name": "order_update", "message_template_language": "en_US"}""".formatted(id)))
                .then().statusCode(200);

        Map<String, Object> row = row(waba, id);
        assertThat(row).containsEntry("status", "APPROVED").containsEntry("category", "MARKETING")
                .containsEntry("quality", "YELLOW");
        assertThat((String) row.get("components")).contains("is on its way").contains("Reply STOP to opt out");
    }

    @Test
    void changesForAnAccountTheSignerDoesNotSignForAreNotStored() {
        // Signed with a settings row's own app secret, which signs for its business account only.
        String waba = newWaba();
        String other = newWaba();
        String secret = java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                .putLong(ThreadLocalRandom.current().nextLong()).putLong(ThreadLocalRandom.current().nextLong()).array());
        given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                .body(Map.of("apiKey", "k", "phoneNumberId", Conversations.newPhoneNumberId(), "businessId", waba,
                        "accessToken", Conversations.ACCESS_TOKEN, "webhookToken", "verify-token-for-tests",
                        "appSecret", secret))
                .post("/api/v1/settings").then().statusCode(201);
        String id = newTemplateId();
        byte[] foreign = status(other, Instant.now().getEpochSecond(), id, "x", "APPROVED", "NONE");
        Webhooks.post(foreign, io.wagateway.webhook.SignatureVerifier.sign(secret, foreign)).then().statusCode(200);
        assertThat(Sql.count("select count(*) from whatsapp_templates where template_id = ?", id)).isZero();
        byte[] own = status(waba, Instant.now().getEpochSecond(), id, "x", "APPROVED", "NONE");
        Webhooks.post(own, io.wagateway.webhook.SignatureVerifier.sign(secret, own)).then().statusCode(200);
        assertThat(Sql.count("select count(*) from whatsapp_templates where template_id = ?", id)).isEqualTo(1);
    }

    private static io.restassured.response.Response sendTemplate(String number, String phone, String name) {
        return given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON).body("""
                {"to": "%s", "type": "template", "phoneNumberId": "%s",
                 "template": {"name": "%s", "language": {"code": "en_US"}}}""".formatted(phone, number, name))
                .post("/api/v1/messages");
    }

    @Test
    void aTemplateThatIsNotApprovedIsRefusedWithNothingSent() {
        String waba = newWaba();
        String number = account(waba);
        long t = Instant.now().getEpochSecond() - 60;
        Webhooks.post(status(waba, t, newTemplateId(), "paused_one", "PAUSED", "NONE")).then().statusCode(200);

        sendTemplate(number, Conversations.newCustomerPhone(), "paused_one").then().statusCode(409)
                .contentType("application/problem+json").body("title", equalTo("Template not approved"))
                .body("detail", containsString("PAUSED"));
        graph.verifyThat(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aMarketingTemplateToACustomerWhoStoppedIsRefusedUntilResumed() {
        String waba = newWaba();
        String number = account(waba);
        String phone = Conversations.newCustomerPhone();
        long t = Instant.now().getEpochSecond() - 600;
        String id = newTemplateId();
        Webhooks.post(status(waba, t, id, "big_sale", "APPROVED", "NONE")).then().statusCode(200);
        Webhooks.post(change(waba, t + 1, "template_category_update", """
                {"message_template_id": %s, "message_template_name": "big_sale",
                 "message_template_language": "en_US", "previous_category": "UTILITY", "new_category": "MARKETING"}"""
                .formatted(id))).then().statusCode(200);
        Webhooks.post(preference(waba, number, phone, t + 100, "stop")).then().statusCode(200);
        assertThat(Sql.row("select preference, changed_at from whatsapp_marketing_preferences where waba_id = ? and "
                + "wa_id = ?", waba, phone)).containsEntry("preference", "stopped");

        sendTemplate(number, phone, "big_sale").then().statusCode(409)
                .body("title", equalTo("Customer opted out of marketing messages"));
        graph.verifyThat(0, anyRequestedFor(anyUrl()));

        // An older resume delivered late changes nothing; a newer one lifts the refusal.
        Webhooks.post(preference(waba, number, phone, t + 50, "resume")).then().statusCode(200);
        sendTemplate(number, phone, "big_sale").then().statusCode(409);
        Webhooks.post(preference(waba, number, phone, t + 200, "resume")).then().statusCode(200);
        assertThat(Sql.row("select preference from whatsapp_marketing_preferences where waba_id = ? and wa_id = ?",
                waba, phone)).containsEntry("preference", "resumed");
        assertThat(Sql.rows("select phone_number_id, data->>'marketingMessages' as preference from gateway_events "
                + "where type = 'whatsapp.customer.updated' and data->>'waId' = ? order by seq", phone))
                .extracting(e -> e.get("preference") + "@" + e.get("phone_number_id"))
                .containsExactly("stopped@" + number, "resumed@" + number);
        graph.register(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/" + VERSION + "/"
                + number + "/messages")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"messaging_product\": \"whatsapp\", \"contacts\": [{\"input\": \"" + phone
                                + "\", \"wa_id\": \"" + phone + "\"}], \"messages\": [{\"id\": \"wamid.tpl"
                                + ThreadLocalRandom.current().nextLong(1_000_000_000L) + "\"}]}")));
        sendTemplate(number, phone, "big_sale").then().statusCode(201).body("sessionId", notNullValue())
                .body("id", not(nullValue()));
    }

    /** A user_preferences delivery in Meta's documented shape. */
    private static byte[] preference(String waba, String number, String waId, long time, String value) {
        return """
                {"object": "whatsapp_business_account", "entry": [{"id": "%s", "changes": [{"value": {
                  "messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550783881", "phone_number_id": "%s"},
                  "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "%s"}],
                  "user_preferences": [{"wa_id": "%s", "detail": "User requested to %s marketing messages",
                    "category": "marketing_messages", "value": "%s", "timestamp": %d}]},
                  "field": "user_preferences"}]}]}""".formatted(waba, number, waId, waId, value, value, time)
                .getBytes(StandardCharsets.UTF_8);
    }

}
