package io.wagateway.common;

import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.admin;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagateway.support.Conversations;
import io.wagateway.support.PostgresTestResource;

/** Response headers, NUL in URLs, the handshake's challenge and endpoints without a security annotation. */
@QuarkusTest
class HttpHardeningTest {

    @Test
    void everyResponseSaysNosniff() {
        given().get("/webhooks/whatsapp").then().statusCode(403).header("X-Content-Type-Options", "nosniff");
        given().get("/api/v1/sessions").then().statusCode(401).header("X-Content-Type-Options", "nosniff");
        given().get("/no/such/path").then().statusCode(404).header("X-Content-Type-Options", "nosniff");
        given().contentType(ContentType.JSON).body("{}").post("/webhooks/whatsapp").then().statusCode(401)
                .header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void adminAnswersAreNeverCached() {
        given().get("/api/v1/sessions").then().statusCode(401).header("Cache-Control", "no-store");
        given().header("Authorization", admin()).get("/api/v1/sessions").then().statusCode(200)
                .header("Cache-Control", "no-store");
        given().get("/webhooks/whatsapp").then().statusCode(403).header("Cache-Control", nullValue());
    }

    @Test
    void nulInAPathOrQueryIsA400Problem() {
        given().urlEncodingEnabled(false).header("Authorization", admin())
                .post("/api/v1/messages/wamid.abc%00def/read").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("U+0000"));
        given().urlEncodingEnabled(false).header("Authorization", admin())
                .get("/api/v1/sessions?cursor=abc%00").then().statusCode(400).contentType("application/problem+json");
        given().urlEncodingEnabled(false).header("Authorization", admin())
                .get("/api/v1/sessions/" + UUID.randomUUID() + "%00").then().statusCode(400);
    }

    @Test
    void handshakeEchoesOnlyAPlainChallenge() {
        String token = "verify-" + UUID.randomUUID();
        given().header("Authorization", "Bearer " + PostgresTestResource.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("apiKey", "shop-api-key-0123456789", "phoneNumberId", Conversations.newPhoneNumberId(),
                        "businessId", "204567891234567", "accessToken", "EAAG-access-token-0123456789",
                        "webhookToken", token))
                .post("/api/v1/settings").then().statusCode(201);
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", token)
                .queryParam("hub.challenge", "Ab_9-" + "x".repeat(123)).get("/webhooks/whatsapp")
                .then().statusCode(200).body(equalTo("Ab_9-" + "x".repeat(123)));
        for (String challenge : new String[] { "<script>alert(1)</script>", "x".repeat(129), "a b", "1158201444\r\n" }) {
            given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", token)
                    .queryParam("hub.challenge", challenge).get("/webhooks/whatsapp")
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void aMalformedChunkedRequestIsNoErrorInTheLog() throws Exception {
        java.util.List<java.util.logging.LogRecord> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()
                        && getFilter() == null && record.getLoggerName() != null) {
                    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(record.getLoggerName());
                    if (logger.getFilter() == null || logger.getFilter().isLoggable(record)) {
                        errors.add(record);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            for (String path : new String[] { "/webhooks/whatsapp", "/api/v1/settings" }) {
                try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
                    socket.setSoTimeout(5_000);
                    socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getInputStream().read(new byte[256]);
                } catch (java.io.IOException e) {
                    // the server closes the connection: expected
                }
            }
            Thread.sleep(500);
            org.assertj.core.api.Assertions.assertThat(errors).extracting(r -> r.getLoggerName() + ": " + r.getMessage())
                    .isEmpty();
        } finally {
            root.removeHandler(capture);
        }
    }

    @Test
    void anEndpointWithoutASecurityAnnotationRefusesEveryone() {
        given().get("/test-only/unannotated").then().statusCode(anyOf(is(401), is(403)));
        given().header("Authorization", admin()).get("/test-only/unannotated").then().statusCode(anyOf(is(401), is(403)));
    }
}
