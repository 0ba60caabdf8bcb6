package io.wagateway.message;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
                testCipher().encrypt(token, "access_token"), id);
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
}
