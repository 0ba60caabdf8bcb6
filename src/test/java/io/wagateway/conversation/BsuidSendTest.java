package io.wagateway.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.wagateway.conversation.MessageResourceTest.messagesPath;
import static io.wagateway.conversation.MessageResourceTest.metaError;
import static io.wagateway.conversation.MessageResourceTest.send;
import static io.wagateway.conversation.MessageResourceTest.wamid;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.Conversations;
import io.wagateway.support.GraphApiMock;
import io.wagateway.support.Sql;

/**
 * Sends to a business-scoped user id ({@code recipient} instead of {@code to}), and the BSUID fields and filters of
 * the admin API: the Graph request WireMock saw, the stored row, Meta's 131062 as a clear problem.
 */
@QuarkusTest
class BsuidSendTest {

    WireMock graph;

    @BeforeEach
    void resetGraph() {
        graph = GraphApiMock.resetClient();
    }

    static String uniqueBsuid() {
        return "US." + Math.abs(ThreadLocalRandom.current().nextLong());
    }

    /** A customer as the webhook leaves them: key {@code key} (phone or BSUID), the BSUID, a session of the key. */
    static String customer(String key, String bsuid, String username, String number) {
        String profile = UUID.randomUUID().toString();
        Sql.update("insert into customer_profiles (id, wa_id, display_name, user_id, username, updated_at) "
                + "values (?::uuid, ?, 'Ada', ?, ?, now())", profile, key, bsuid, username);
        String session = Conversations.session(key, number, Instant.now().minusSeconds(60));
        Sql.update("update whatsapp_sessions set customer_profile_id = ?::uuid where id = ?::uuid", profile, session);
        return session;
    }

    void accept(String number, String wamid) {
        graph.register(WireMock.post(urlEqualTo(messagesPath(number))).willReturn(WireMock.aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"" + wamid + "\"}]}")));
    }

    @Test
    void aRecipientWithoutAKnownPhoneIsSentAsMetasRecipientField() {
        String number = Conversations.activeBusinessNumber();
        String bsuid = uniqueBsuid();
        String session = customer(bsuid, bsuid, "ada", number);
        String wamid = wamid();
        accept(number, wamid);

        send(Map.of("recipient", bsuid, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(201)
                .body("sessionId", Matchers.equalTo(session));
        graph.verifyThat(1, postRequestedFor(urlEqualTo(messagesPath(number))).withRequestBody(equalToJson("""
                {"messaging_product":"whatsapp","recipient_type":"individual","recipient":"%s","type":"text",
                 "text":{"body":"hello"}}""".formatted(bsuid))));
    }

    @Test
    void aRecipientWhosePhoneIsKnownIsSentToThePhone() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String bsuid = uniqueBsuid();
        String session = customer(phone, bsuid, null, number);
        String wamid = wamid();
        accept(number, wamid);

        send(Map.of("recipient", bsuid, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(201)
                .body("sessionId", Matchers.equalTo(session));
        graph.verifyThat(1, postRequestedFor(urlEqualTo(messagesPath(number))).withRequestBody(equalToJson("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"+%s","type":"text",
                 "text":{"body":"hello"}}""".formatted(phone))));
    }

    @Test
    void metasRefusalOfABsuidRecipientIsAClearProblem() {
        String number = Conversations.activeBusinessNumber();
        String bsuid = uniqueBsuid();
        customer(bsuid, bsuid, null, number);
        graph.register(WireMock.post(urlEqualTo(messagesPath(number))).willReturn(WireMock.aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(metaError(131062, 0,
                        "(#131062) This message type does not support BSUID recipients", "AzBsuid"))));

        send(Map.of("recipient", bsuid, "type", "text", "text", Map.of("body", "hello"))).then().statusCode(502)
                .contentType("application/problem+json")
                .body("title", Matchers.equalTo("Message type not supported for BSUID recipients"))
                .body("code", Matchers.equalTo(131062))
                .body("detail", Matchers.containsString("phone number (to)"));
    }

    @Test
    void toAndRecipientTogetherOrAMalformedRecipientAreRefused() {
        send(Map.of("to", "+16505551234", "recipient", uniqueBsuid(), "type", "text", "text", Map.of("body", "x")))
                .then().statusCode(400).body("errors.field", Matchers.hasItem("recipient"));
        send(Map.of("recipient", "not a bsuid", "type", "text", "text", Map.of("body", "x")))
                .then().statusCode(400).body("errors.field", Matchers.hasItem("recipient"));
        send(Map.of("type", "text", "text", Map.of("body", "x"))).then().statusCode(400)
                .body("errors.field", Matchers.hasItem("to"));
    }

    @Test
    void sessionsAndCustomersAreFilteredByUserIdAndUsername() {
        String number = Conversations.activeBusinessNumber();
        String bsuid = uniqueBsuid();
        String username = "ada" + Math.abs(ThreadLocalRandom.current().nextInt());
        String session = customer(bsuid, bsuid, username, number);
        customer(uniqueBsuid(), uniqueBsuid(), "someone.else", number);

        given().header("Authorization", admin()).queryParam("userId", bsuid).get("/api/v1/sessions").then()
                .statusCode(200).body("items.id", Matchers.contains(session))
                .body("items[0].customerProfile.userId", Matchers.equalTo(bsuid))
                .body("items[0].customerProfile.username", Matchers.equalTo(username));
        given().header("Authorization", admin()).queryParam("username", "@" + username).get("/api/v1/sessions").then()
                .statusCode(200).body("items.id", Matchers.contains(session));
        given().header("Authorization", admin()).queryParam("userId", bsuid).get("/api/v1/customers").then()
                .statusCode(200).body("items.userId", Matchers.contains(bsuid))
                .body("items[0].username", Matchers.equalTo(username))
                .body("items[0].sessions.id", Matchers.contains(session));
        given().header("Authorization", admin()).queryParam("username", username).get("/api/v1/customers").then()
                .statusCode(200).body("items.userId", Matchers.contains(bsuid));
        given().header("Authorization", admin()).queryParam("userId", "x y").get("/api/v1/customers").then()
                .statusCode(400);
        assertThat(Sql.count("select count(*) from customer_profiles where user_id = ?", bsuid)).isEqualTo(1);
    }
}
