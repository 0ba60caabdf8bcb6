package io.wagateway.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.ACCESS_TOKEN;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagateway.support.Conversations;
import io.wagateway.support.GraphApiMock;
import io.wagateway.support.Sql;
import io.wagateway.support.TestDatabase;
import io.wagateway.support.Webhooks;

/** Black-box: HTTP in; HTTP, rows and the Graph API requests WireMock saw out. Also runs as MessageResourceIT. */
@QuarkusTest
class MessageResourceTest {

    static final String VERSION = "v25.0";

    WireMock graph;

    @BeforeEach
    void resetGraph() {
        graph = GraphApiMock.resetClient();
    }

    static String messagesPath(String phoneNumberId) {
        return "/" + VERSION + "/" + phoneNumberId + "/messages";
    }

    static String accepted(String phone, String wamid) {
        return """
                {"messaging_product": "whatsapp",
                 "contacts": [{"input": "+%s", "wa_id": "%s"}],
                 "messages": [{"id": "%s"}]}""".formatted(phone, phone, wamid);
    }

    static String metaError(int code, int subcode, String message, String trace) {
        return """
                {"error": {"message": "%s", "type": "OAuthException", "code": %d,
                  "error_data": {"messaging_product": "whatsapp", "details": "details of %d"},
                  "error_subcode": %d, "fbtrace_id": "%s"}}""".formatted(message, code, code, subcode, trace);
    }

    void stub(String phoneNumberId, int status, String body) {
        graph.register(post(urlEqualTo(messagesPath(phoneNumberId)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    static Response send(Object body) {
        return given().header("Authorization", admin()).contentType(ContentType.JSON).body(body).post("/api/v1/messages");
    }

    static String wamid() {
        return "wamid.HBgL" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void textInsideTheWindowIsSentAsMetaDocumentsAndStoredOnce() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String sessionId = Conversations.session(phone, number, Instant.now().minus(Duration.ofHours(2)));
        String wamid = wamid();
        stub(number, 200, accepted(phone, wamid));

        // No phoneNumberId: the session's business number is used. Unknown Meta fields pass through.
        Response sent = send("""
                {"to": "+%s", "type": "text", "text": {"body": "Your order #48213 has shipped", "preview_url": false},
                 "biz_opaque_callback_data": "order-48213"}""".formatted(phone));
        sent.then().statusCode(201).contentType(ContentType.JSON)
                .body("messageId", Matchers.equalTo(wamid))
                .body("sessionId", Matchers.equalTo(sessionId))
                .body("direction", Matchers.equalTo("OUTBOUND"))
                .body("messageType", Matchers.equalTo("text"))
                .body("content", Matchers.equalTo("Your order #48213 has shipped"))
                .body("status", Matchers.equalTo("accepted"))
                .body("metadata.payload.biz_opaque_callback_data", Matchers.equalTo("order-48213"))
                .body("metadata.contacts[0].wa_id", Matchers.equalTo(phone))
                .body("id", notNullValue())
                .body("createdAt", notNullValue());

        graph.verifyThat(1, postRequestedFor(urlEqualTo(messagesPath(number)))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .withHeader("Content-Type", WireMock.containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+%s",
                         "type": "text", "text": {"body": "Your order #48213 has shipped", "preview_url": false},
                         "biz_opaque_callback_data": "order-48213"}""".formatted(phone))));
        graph.verifyThat(1, anyRequestedFor(anyUrl()));

        Map<String, Object> row = Sql.row("""
                select cast(session_id as text) as session_id, direction::text as direction, status, status_rank,
                       message_type, content, phone_number_id from whatsapp_messages where message_id = ?""", wamid);
        assertThat(row).containsEntry("session_id", sessionId).containsEntry("direction", "OUTBOUND")
                .containsEntry("status", "accepted").containsEntry("status_rank", 1)
                .containsEntry("message_type", "text").containsEntry("phone_number_id", number);
        // The session's last_message_at moved forward.
        assertThat(Sql.count("select count(*) from whatsapp_sessions where id = ?::uuid and last_message_at > now() - "
                + "interval '1 minute'", sessionId)).isEqualTo(1);
    }

    @Test
    void theAnswerIsTheStoredRowAlsoWhenAStatusArrivedBeforeIt() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String sessionId = Conversations.session(phone, number, Instant.now().minus(Duration.ofHours(2)));
        String wamid = wamid();
        // Meta's delivered status outruns the send's answer: kept until the message is stored, applied with it
        Webhooks.post(Webhooks.statuses(Webhooks.status(wamid, "delivered", Instant.now().getEpochSecond())))
                .then().statusCode(200);
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid))
                .isEqualTo(1);
        stub(number, 200, accepted(phone, wamid));

        Map<String, Object> answer = send("""
                {"to": "%s", "type": "text", "text": {"body": "Ready for pickup", "preview_url": false}}"""
                .formatted(phone)).then().statusCode(201).extract().jsonPath().getMap("");

        assertThat(answer).containsEntry("status", "delivered").containsEntry("sessionId", sessionId);
        List<Map<String, Object>> listed = given().header("Authorization", admin())
                .get("/api/v1/sessions/" + sessionId + "/messages").then().statusCode(200).extract().jsonPath()
                .getList("items");
        assertThat(listed).singleElement().isEqualTo(answer);
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid)).isZero();
    }

    @Test
    void freeFormOutsideTheWindowIsRefusedAndNothingIsSent() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        Conversations.session(phone, number, Instant.now().minus(Duration.ofHours(25)));
        stub(number, 200, accepted(phone, wamid()));

        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hi"))).then().statusCode(409)
                .contentType("application/problem+json")
                .body("title", Matchers.equalTo("Customer service window closed"))
                .body("detail", containsString("template"));
        // No session at all: the customer never wrote.
        send(Map.of("to", Conversations.newCustomerPhone(), "type", "interactive", "phoneNumberId", number,
                "interactive",
                Map.of("type", "button", "body", Map.of("text", "?"), "action", Map.of("buttons", java.util.List.of()))))
                .then().statusCode(409);
        graph.verifyThat(0, anyRequestedFor(anyUrl()));
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", phone)).isZero();
    }

    @Test
    void templateOutsideTheWindowIsSentAndCreatesTheSession() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String wamid = wamid();
        stub(number, 200, accepted(phone, wamid));
        String template = """
                {"name": "order_update", "language": {"code": "en_US"},
                 "components": [{"type": "body", "parameters": [{"type": "text", "text": "48213"}]}]}""";

        Response sent = send("""
                {"to": "%s", "type": "template", "phoneNumberId": "%s", "template": %s}""".formatted(phone, number, template));
        sent.then().statusCode(201).body("content", Matchers.equalTo("[template: order_update (en_US)]"))
                .body("messageType", Matchers.equalTo("template"));
        graph.verifyThat(1, postRequestedFor(urlEqualTo(messagesPath(number))).withRequestBody(equalToJson("""
                {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+%s",
                 "type": "template", "template": %s}""".formatted(phone, template))));

        Map<String, Object> session = Sql.row("select cast(id as text) as id, phone_number_id, state::text as state, "
                + "last_inbound_at from whatsapp_sessions where phone_number = ?", phone);
        assertThat(session).containsEntry("phone_number_id", number).containsEntry("state", "IDLE")
                .containsEntry("last_inbound_at", null);
        assertThat((String) sent.path("sessionId")).isEqualTo(session.get("id"));
        // A template does not open the window: the session still refuses free-form messages.
        given().header("Authorization", admin()).get("/api/v1/sessions/" + session.get("id")).then()
                .body("windowOpen", Matchers.equalTo(false))
                .body("lastMessage.messageId", Matchers.equalTo(wamid))
                .body("lastMessage.status", Matchers.equalTo("accepted"));
    }

    @Test
    void rateLimitThenSuccessIsRetriedAndStoredOnce() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        Conversations.session(phone, number, Instant.now().minusSeconds(60));
        String wamid = wamid();
        graph.register(post(urlEqualTo(messagesPath(number))).inScenario("throttled")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody(metaError(130429, 2494055, "(#130429) Rate limit hit", "AzRate"))));
        graph.register(post(urlEqualTo(messagesPath(number))).inScenario("throttled")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(accepted(phone, wamid))));

        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hello again"))).then().statusCode(201)
                .body("messageId", Matchers.equalTo(wamid));
        graph.verifyThat(2, postRequestedFor(urlEqualTo(messagesPath(number))));
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", phone)).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetriedThenAnswered502() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        Conversations.session(phone, number, Instant.now().minusSeconds(60));
        stub(number, 500, metaError(131000, 0, "(#131000) Something went wrong", "AzFive"));

        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(502)
                .contentType("application/problem+json")
                .body("status", Matchers.equalTo(502))
                .body("code", Matchers.equalTo(131000))
                .body("fbtraceId", Matchers.equalTo("AzFive"));
        // The first try and 3 retries.
        graph.verifyThat(4, postRequestedFor(urlEqualTo(messagesPath(number))));
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", phone)).isZero();
    }

    @Test
    void clientErrorsAreAnswered502WithMetasCodeAndNeverRetried() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        Conversations.session(phone, number, Instant.now().minusSeconds(60));
        stub(number, 400, metaError(131047, 2494010, "(#131047) Re-engagement message", "AzWindow"));

        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(502)
                .contentType("application/problem+json")
                .body("title", Matchers.equalTo("Customer service window closed"))
                .body("code", Matchers.equalTo(131047))
                .body("errorSubcode", Matchers.equalTo(2494010))
                .body("fbtraceId", Matchers.equalTo("AzWindow"))
                .body("detail", containsString("Re-engagement message"));
        graph.verifyThat(1, postRequestedFor(urlEqualTo(messagesPath(number))));

        graph.resetRequests();
        stub(number, 400, metaError(131009, 2494002, "(#131009) Parameter value is not valid", "AzParam"));
        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(502)
                .body("title", Matchers.equalTo("Graph API error"))
                .body("code", Matchers.equalTo(131009))
                .body("errorSubcode", Matchers.equalTo(2494002))
                .body("fbtraceId", Matchers.equalTo("AzParam"));
        graph.verifyThat(1, postRequestedFor(urlEqualTo(messagesPath(number))));

        graph.resetRequests();
        stub(number, 401, metaError(190, 463, "Error validating access token", "AzToken"));
        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(502)
                .body("title", Matchers.equalTo("Access token expired or invalid")).body("code", Matchers.equalTo(190));
        graph.verifyThat(1, postRequestedFor(urlEqualTo(messagesPath(number))));
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", phone)).isZero();
    }

    @Test
    void aGraphApiThatNeverAnswersIs504AndNotRetried() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        Conversations.session(phone, number, Instant.now().minusSeconds(60));
        graph.register(post(urlEqualTo(messagesPath(number))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(accepted(phone, wamid()))
                .withFixedDelay(GraphApiMock.READ_TIMEOUT_MS + 1500)));

        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(504)
                .contentType("application/problem+json").body("title", Matchers.equalTo("Graph API timeout"));
        // Meta may have accepted it: a retry could deliver the message twice.
        graph.verifyThat(1, postRequestedFor(urlEqualTo(messagesPath(number))));
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", phone)).isZero();
    }

    @Test
    void statusesThatArrivedFirstAreAppliedAndLaterOnesOnlyMoveForward() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String sessionId = Conversations.session(phone, number, Instant.now().minusSeconds(60));
        String wamid = wamid();
        stub(number, 200, accepted(phone, wamid));
        // The webhook stored these before our Graph call returned (Meta does not order webhooks).
        for (String[] s : new String[][] { { "sent", "2" }, { "delivered", "3" } }) {
            Sql.update("""
                    insert into whatsapp_pending_statuses (message_id, status, status_rank, status_at, payload)
                    values (?, ?, ?, now(), '{}'::jsonb)""", wamid, s[0], Short.parseShort(s[1]));
        }

        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(201)
                .body("status", Matchers.equalTo("delivered"));
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid)).isZero();

        // Later statuses, applied by the webhook's monotonic update: read moves forward, a late sent does not.
        String monotonic = "update whatsapp_messages set status = ?, status_rank = ?, status_at = now() "
                + "where message_id = ? and status_rank < ?";
        assertThat(Sql.update(monotonic, "read", (short) 4, wamid, (short) 4)).isEqualTo(1);
        assertThat(Sql.update(monotonic, "sent", (short) 2, wamid, (short) 2)).isZero();
        given().header("Authorization", admin()).queryParam("phoneNumber", phone).get("/api/v1/sessions").then()
                .statusCode(200)
                .body("items[0].id", Matchers.equalTo(sessionId))
                .body("items[0].lastMessage.messageId", Matchers.equalTo(wamid))
                .body("items[0].lastMessage.direction", Matchers.equalTo("OUTBOUND"))
                .body("items[0].lastMessage.status", Matchers.equalTo("read"));
    }

    @Test
    void aStatusWebhookRacingTheStoreIsNotLost() throws Exception {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        Conversations.session(phone, number, Instant.now().minusSeconds(60));
        String wamid = wamid();
        stub(number, 200, accepted(phone, wamid));
        // A webhook transaction for this wamid is in flight: it holds the per-wamid lock, finds no message
        // row yet and parks its status. The send must wait for it, then apply the parked status.
        try (Connection webhook = TestDatabase.current().connect()) {
            webhook.setAutoCommit(false);
            try (PreparedStatement lock = webhook.prepareStatement(
                    "select pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, wamid);
                lock.execute();
            }
            CompletableFuture<Response> sending = CompletableFuture.supplyAsync(
                    () -> send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hello"))));
            long deadline = System.currentTimeMillis() + 10_000;
            while (graph.find(postRequestedFor(urlEqualTo(messagesPath(number)))).isEmpty()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(500); // the store is now waiting for the lock
            assertThat(sending).isNotDone();
            try (PreparedStatement park = webhook.prepareStatement("""
                    insert into whatsapp_pending_statuses (message_id, status, status_rank, status_at, payload)
                    values (?, 'delivered', 3, now(), '{}'::jsonb)""")) {
                park.setString(1, wamid);
                park.execute();
            }
            webhook.commit();
            sending.get(20, TimeUnit.SECONDS).then().statusCode(201).body("status", Matchers.equalTo("delivered"));
        }
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid)).isZero();
    }

    @Test
    void aPendingFailureWinsAndKeepsItsErrors() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String sessionId = Conversations.session(phone, number, Instant.now().minusSeconds(60));
        String wamid = wamid();
        stub(number, 200, accepted(phone, wamid));
        Sql.update("""
                insert into whatsapp_pending_statuses (message_id, status, status_rank, status_at, errors, payload)
                values (?, 'sent', 2, now(), null, '{}'::jsonb),
                       (?, 'failed', 10, now(), '[{"code": 131047, "title": "Re-engagement message"}]'::jsonb, '{}'::jsonb)
                """, wamid, wamid);

        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(201)
                .body("status", Matchers.equalTo("failed"));
        Map<String, Object> row = Sql.row("select status, status_rank, status_errors::text as errors "
                + "from whatsapp_messages where message_id = ?", wamid);
        assertThat(row).containsEntry("status", "failed").containsEntry("status_rank", 10);
        assertThat((String) row.get("errors")).contains("131047");
        // A failed message (status_errors is a JSON array) still reads fine in both lists.
        given().header("Authorization", admin()).get("/api/v1/sessions/" + sessionId + "/messages").then()
                .statusCode(200).body("items[0].messageId", Matchers.equalTo(wamid))
                .body("items[0].status", Matchers.equalTo("failed"));
        given().header("Authorization", admin()).queryParam("phoneNumber", phone).get("/api/v1/sessions").then()
                .statusCode(200).body("items[0].lastMessage.status", Matchers.equalTo("failed"));
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid)).isZero();
    }

    @Test
    void markAsReadSendsTheDocumentedReceiptThroughTheNumberItCameInOn() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String sessionId = Conversations.session(phone, null, Instant.now().minusSeconds(60));
        String inboundWamid = wamid();
        Conversations.inbound(sessionId, inboundWamid, number, Instant.now().minusSeconds(60));
        stub(number, 200, "{\"success\": true}");

        given().header("Authorization", admin()).post("/api/v1/messages/" + inboundWamid + "/read").then()
                .statusCode(200).body("messageId", Matchers.equalTo(inboundWamid))
                .body("status", Matchers.equalTo("read")).body("sessionId", Matchers.equalTo(sessionId));
        graph.verifyThat(1, postRequestedFor(urlEqualTo(messagesPath(number)))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .withRequestBody(equalToJson("""
                        {"messaging_product": "whatsapp", "status": "read", "message_id": "%s"}""".formatted(inboundWamid))));
        assertThat(Sql.row("select status, status_rank from whatsapp_messages where message_id = ?", inboundWamid))
                .containsEntry("status", "read").containsEntry("status_rank", 4);

        given().header("Authorization", admin()).post("/api/v1/messages/wamid.unknown-" + UUID.randomUUID() + "/read")
                .then().statusCode(404).contentType("application/problem+json");
        graph.verifyThat(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void invalidRequestsAreRefusedBeforeAnythingIsSent() {
        send(Map.of("type", "text")).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("to")).body("errors.field", hasItem("text"));
        send(Map.of("to", "+49 151 2345678")).then().statusCode(400).body("errors.field", hasItem("type"));
        send(Map.of("to", "491512345678", "type", "text", "text", Map.of("body", "x".repeat(4097)))).then()
                .statusCode(400).body("errors.field", hasItem("text.body"));
        send(Map.of("to", "491512345678", "type", "template", "template", Map.of("language", Map.of("code", "en"))))
                .then().statusCode(400).body("errors.field", hasItem("template.name"));
        send(Map.of("to", "not a number", "type", "text", "text", Map.of("body", "x"), "phoneNumberId", "12ab"))
                .then().statusCode(400).body("errors.field", hasItem("to")).body("errors.field", hasItem("phoneNumberId"));
        send("[1, 2]").then().statusCode(400);
        send("{\"to\": ").then().statusCode(400).contentType("application/problem+json");
        graph.verifyThat(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theBusinessNumberMustBeUnambiguousAndActive() {
        Conversations.activeBusinessNumber();
        Conversations.activeBusinessNumber();
        Map<String, Object> template = Map.of("name", "hello_world", "language", Map.of("code", "en_US"));
        // Several active numbers, no session, none chosen.
        send(Map.of("to", Conversations.newCustomerPhone(), "type", "template", "template", template)).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("phoneNumberId")).body("detail", containsString("phoneNumberId"));
        send(Map.of("to", Conversations.newCustomerPhone(), "type", "template", "template", template,
                "phoneNumberId", Conversations.newPhoneNumberId())).then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("phoneNumberId"));
        graph.verifyThat(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void everyEndpointNeedsTheAdminKey() {
        given().contentType(ContentType.JSON).body(Map.of("to", "491512345678", "type", "text",
                "text", Map.of("body", "x"))).post("/api/v1/messages").then().statusCode(401)
                .contentType("application/problem+json");
        given().post("/api/v1/messages/wamid.x/read").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/api/v1/messages/wamid.x/read").then().statusCode(401);
        graph.verifyThat(0, anyRequestedFor(anyUrl()));
    }
}
