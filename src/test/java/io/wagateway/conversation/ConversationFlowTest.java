package io.wagateway.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.ACCESS_TOKEN;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagateway.support.Conversations;
import io.wagateway.support.GraphApiMock;
import io.wagateway.support.Webhooks;

/**
 * End to end through the real webhook: a customer's message opens the window, a reply goes out through the
 * number it came in on, and status webhooks (before and after the send) move the reply forward only.
 */
@QuarkusTest
class ConversationFlowTest {

    WireMock graph;

    @BeforeEach
    void resetGraph() {
        graph = GraphApiMock.resetClient();
    }

    /** A signed delivery to one of our business numbers (Webhooks builds them for its fixed number only). */
    static Response deliver(String phoneNumberId, String valueJson) {
        byte[] body = ("""
                {"object":"whatsapp_business_account","entry":[{"id":"204567891234567","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15557654321","phone_number_id":"%s"},
                %s},"field":"messages"}]}]}""".formatted(phoneNumberId, valueJson)).getBytes(StandardCharsets.UTF_8);
        return Webhooks.post(body);
    }

    static void status(String phoneNumberId, String wamid, String status, String customer) {
        deliver(phoneNumberId, """
                "statuses":[{"id":"%s","status":"%s","timestamp":"%d","recipient_id":"%s"}]"""
                .formatted(wamid, status, Instant.now().getEpochSecond(), customer)).then().statusCode(200);
    }

    static String sessionId(String phone) {
        return given().header("Authorization", admin()).queryParam("phoneNumber", phone).get("/api/v1/sessions")
                .then().statusCode(200).extract().path("items[0].id");
    }

    void stubSend(String number, String phone, String wamid) {
        graph.register(post(urlEqualTo("/v25.0/" + number + "/messages"))
                .withRequestBody(WireMock.matchingJsonPath("$.type"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"messaging_product":"whatsapp","contacts":[{"input":"+%s","wa_id":"%s"}],
                         "messages":[{"id":"%s"}]}""".formatted(phone, phone, wamid))));
    }

    @Test
    void inboundOpensTheWindowAndStatusWebhooksMoveTheReplyForward() {
        String number = Conversations.activeBusinessNumber();
        String customer = Conversations.newCustomerPhone();
        String inboundWamid = "wamid.in-" + UUID.randomUUID();
        long sentAt = Instant.now().minusSeconds(90).getEpochSecond();

        // Before the customer writes: free-form is refused.
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("to", customer, "type", "text", "phoneNumberId", number, "text", Map.of("body", "hi")))
                .post("/api/v1/messages").then().statusCode(409);

        deliver(number, """
                "contacts":[{"profile":{"name":"Grace"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"Where is my order?"}}]"""
                .formatted(customer, customer, inboundWamid, sentAt)).then().statusCode(200);
        String sessionId = sessionId(customer);
        Response session = given().header("Authorization", admin()).get("/api/v1/sessions/" + sessionId);
        session.then().statusCode(200).body("windowOpen", equalTo(true))
                .body("customerProfile.displayName", equalTo("Grace"))
                .body("lastMessage.messageId", equalTo(inboundWamid));
        assertThat(Instant.parse(session.path("windowExpiresAt")))
                .isEqualTo(Instant.ofEpochSecond(sentAt).plus(Duration.ofHours(24)));

        // The reply leaves through the number the customer wrote to (no phoneNumberId given).
        String replyWamid = "wamid.out-" + UUID.randomUUID();
        stubSend(number, customer, replyWamid);
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("to", "+" + customer, "type", "text", "text", Map.of("body", "It ships today")))
                .post("/api/v1/messages").then().statusCode(201).body("status", equalTo("accepted"))
                .body("sessionId", equalTo(sessionId));
        graph.verifyThat(1, postRequestedFor(urlEqualTo("/v25.0/" + number + "/messages"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + ACCESS_TOKEN)));

        status(number, replyWamid, "delivered", customer);
        status(number, replyWamid, "sent", customer); // late and lower: no effect
        given().header("Authorization", admin()).queryParam("direction", "OUTBOUND")
                .get("/api/v1/sessions/" + sessionId + "/messages").then().statusCode(200)
                .body("items[0].messageId", equalTo(replyWamid)).body("items[0].status", equalTo("delivered"));

        // A status that beats the Graph API's answer is kept by the webhook and applied when the reply is stored.
        String racedWamid = "wamid.raced-" + UUID.randomUUID();
        status(number, racedWamid, "read", customer);
        graph.resetMappings();
        stubSend(number, customer, racedWamid);
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("to", customer, "type", "text", "text", Map.of("body", "Tracking: 1Z999")))
                .post("/api/v1/messages").then().statusCode(201).body("status", equalTo("read"));
        given().header("Authorization", admin()).queryParam("phoneNumber", customer).get("/api/v1/sessions").then()
                .body("items[0].lastMessage.messageId", equalTo(racedWamid))
                .body("items[0].lastMessage.status", equalTo("read"));

        // Marking the customer's message read goes through the number it came in on.
        graph.register(post(urlEqualTo("/v25.0/" + number + "/messages"))
                .withRequestBody(WireMock.matchingJsonPath("$.status"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"success\": true}")));
        given().header("Authorization", admin()).post("/api/v1/messages/" + inboundWamid + "/read").then()
                .statusCode(200).body("status", equalTo("read")).body("direction", equalTo("INBOUND"));
        graph.verifyThat(1, postRequestedFor(urlEqualTo("/v25.0/" + number + "/messages")).withRequestBody(equalToJson(
                "{\"messaging_product\": \"whatsapp\", \"status\": \"read\", \"message_id\": \"" + inboundWamid + "\"}")));
    }
}
