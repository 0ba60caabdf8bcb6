package io.wagateway.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagateway.security.SecretCipher;
import io.wagateway.support.Conversations;
import io.wagateway.support.GraphApiMock;
import io.wagateway.support.LogCapture;
import io.wagateway.support.PostgresTestResource;
import io.wagateway.support.Sql;

/**
 * Sends that must never leak a token, answer 500, or be sent twice: unusable credentials, control characters,
 * a store that fails after Meta accepted. Also runs against the packaged jar (SendSafetyIT).
 */
@QuarkusTest
class SendSafetyTest {

    /** What an operator pasted with a trailing newline before secrets were validated on write. */
    static final String PASTED_TOKEN = "EAAGpastedTokenZq7Xw93kLmN0pQrStUv";

    WireMock graph;

    @BeforeEach
    void resetGraph() {
        graph = GraphApiMock.resetClient();
    }

    static Response send(Object body) {
        return given().header("Authorization", admin()).contentType(ContentType.JSON).body(body).post("/api/v1/messages");
    }

    static SecretCipher testCipher() {
        return new SecretCipher(() -> Optional.of(List.of(PostgresTestResource.ENCRYPTION_KEYS.split(","))));
    }

    /** Replaces the number's stored access token, as a row written before validation on write may hold. */
    static void storeAccessToken(String phoneNumberId, String token) {
        String id = (String) Sql.row("select cast(id as text) as id from whatsapp_settings where phone_number_id = ?",
                phoneNumberId).get("id");
        Sql.update("update whatsapp_settings set access_token = ? where id = ?::uuid",
                testCipher().encrypt(token, "access_token", UUID.fromString(id)), id);
    }

    @Test
    void aNumberWhoseTokenCannotBeAHeaderIsAnswered502NamingItAndTheTokenIsNeverLogged() {
        String number = Conversations.activeBusinessNumber();
        storeAccessToken(number, PASTED_TOKEN + "\n");
        String phone = Conversations.newCustomerPhone();
        Conversations.session(phone, number, Instant.now().minus(Duration.ofHours(1)));
        try (LogCapture log = LogCapture.start()) {
            Response answer = send("""
                    {"to": "+%s", "type": "text", "phoneNumberId": "%s", "text": {"body": "hello"}}"""
                    .formatted(phone, number));
            answer.then().statusCode(502).contentType("application/problem+json")
                    .body("detail", containsString(number)).body(not(containsString(PASTED_TOKEN)));
            // A read receipt through the same number fails the same way.
            String sessionId = Conversations.session(Conversations.newCustomerPhone(), number, Instant.now());
            String wamid = "wamid.read-" + System.nanoTime();
            Conversations.inbound(sessionId, wamid, number, Instant.now());
            given().header("Authorization", admin()).post("/api/v1/messages/" + wamid + "/read").then()
                    .statusCode(502).body("detail", containsString(number));
            assertThat(log.text()).contains(number).doesNotContain(PASTED_TOKEN);
        }
        graph.verifyThat(0, anyRequestedFor(anyUrl()));
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", phone)).isZero();
    }

    void stubAccepted(String phoneNumberId, String phone, String wamid) {
        graph.register(post(urlEqualTo("/v25.0/" + phoneNumberId + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"messaging_product": "whatsapp", "contacts": [{"input": "+%s", "wa_id": "%s"}],
                         "messages": [{"id": "%s"}]}""".formatted(phone, phone, wamid))));
    }

    static long rowsFor(String wamid) {
        return Sql.count("select count(*) from whatsapp_messages where message_id = ?", wamid);
    }

    @Test
    void controlCharactersInAnyTextOfTheBodyAre400BeforeAnythingIsSent() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        Conversations.session(phone, number, Instant.now().minus(Duration.ofHours(1)));
        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "before\u0000after"))).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("text.body"));
        send(Map.of("to", phone, "type", "template", "template", Map.of("name", "order_update",
                "language", Map.of("code", "en_US"), "components", List.of(Map.of("type", "body",
                        "parameters", List.of(Map.of("type", "text", "text", "48\u000713")))))))
                .then().statusCode(400).body("errors.field", hasItem("template.components[0].parameters[0].text"));
        send(Map.of("to", phone, "type", "interactive", "interactive", Map.of("type", "button",
                "body", Map.of("text", "\u001b[31mred"), "action", Map.of("buttons", List.of()))))
                .then().statusCode(400).body("errors.field", hasItem("interactive.body.text"));
        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "ok"), "biz_opaque_callback_data", "a\u0001"))
                .then().statusCode(400).body("errors.field", hasItem("biz_opaque_callback_data"));
        graph.verifyThat(0, anyRequestedFor(anyUrl()));

        // Line breaks and tabs are text, not controls.
        String wamid = "wamid.ok-" + UUID.randomUUID();
        stubAccepted(number, phone, wamid);
        send(Map.of("to", phone, "type", "text", "text", Map.of("body", "line 1\r\nline 2\tend"))).then()
                .statusCode(201).body("messageId", equalTo(wamid)).body("content", equalTo("line 1\r\nline 2\tend"));
    }

    @Test
    void whenStoringFailsAfterMetaAcceptedTheAnswerCarriesTheWamidAndTheRowIsRepairedLater() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        Conversations.session(phone, number, Instant.now().minus(Duration.ofHours(1)));
        String wamid = "wamid.repair-" + UUID.randomUUID();
        stubAccepted(number, phone, wamid);
        String marker = "refused-by-trigger-" + UUID.randomUUID();
        Sql.update("""
                create or replace function test_refuse_marked_messages() returns trigger language plpgsql as $$
                begin
                  if new.content like 'refused-by-trigger-%' then
                    raise exception 'forced failure of a test';
                  end if;
                  return new;
                end $$""");
        Sql.update("""
                create trigger test_refuse_marked_messages before insert on whatsapp_messages
                for each row execute function test_refuse_marked_messages()""");
        try {
            send(Map.of("to", phone, "type", "text", "text", Map.of("body", marker))).then().statusCode(202)
                    .contentType(ContentType.JSON).body("messageId", equalTo(wamid)).body("status", equalTo("accepted"))
                    .body("direction", equalTo("OUTBOUND")).body("content", equalTo(marker)).body("id", nullValue());
            assertThat(rowsFor(wamid)).isZero();
            // Meta's status webhook arrives while the row is missing: it is parked as usual.
            Sql.update("""
                    insert into whatsapp_pending_statuses (message_id, status, status_rank, status_at, payload)
                    values (?, 'delivered', 3, now(), '{}'::jsonb)""", wamid);
        } finally {
            Sql.update("drop trigger test_refuse_marked_messages on whatsapp_messages");
            Sql.update("drop function test_refuse_marked_messages()");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rowsFor(wamid) == 1);
        Map<String, Object> row = Sql.row("""
                select m.status, m.content, m.phone_number_id, s.phone_number from whatsapp_messages m
                  join whatsapp_sessions s on s.id = m.session_id where m.message_id = ?""", wamid);
        assertThat(row).containsEntry("status", "delivered").containsEntry("content", marker)
                .containsEntry("phone_number_id", number).containsEntry("phone_number", phone);
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid)).isZero();
        graph.verifyThat(1, anyRequestedFor(anyUrl()));
    }
}
