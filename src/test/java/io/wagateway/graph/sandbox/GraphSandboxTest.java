package io.wagateway.graph.sandbox;

import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagateway.support.Conversations;
import io.wagateway.support.ManagementPort;
import io.wagateway.support.PostgresTestResource;
import io.wagateway.support.Sql;

/** The dev-mode Graph API sandbox, switched on here: a send ends "read", as at Meta, with no Graph API at all. */
@QuarkusTest
@TestProfile(GraphSandboxTest.SandboxOn.class)
class GraphSandboxTest {

    /** The app on a port known before it starts, the Graph API client pointed at the app's own sandbox. */
    public static class SandboxOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // one port per JVM: the profile may be asked from more than one class loader
            String port = (String) System.getProperties().computeIfAbsent("wagateway.test.sandbox-port",
                    key -> String.valueOf(freePort()));
            return Map.of("quarkus.http.test-port", port, "gateway.graph.base-url", "http://127.0.0.1:" + port
                    + "/dev/graph", "gateway.graph-sandbox.enabled", "true", "gateway.graph-sandbox.status-delay",
                    "50ms");
        }

        @Override
        public boolean disableGlobalTestResources() {
            // no WireMock Graph API: the sandbox is the Graph API here
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresTestResource.class),
                    new TestResourceEntry(ManagementPort.class));
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aSendIsAcceptedAndThenSentDeliveredAndRead() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String sessionId = Conversations.session(phone, number, Instant.now().minusSeconds(60));

        Response sent = given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("to", phone, "type", "text", "text", Map.of("body", "Your order ships today")))
                .post("/api/v1/messages");
        sent.then().statusCode(201).body("status", equalTo("accepted")).body("messageId", startsWith("wamid.sandbox-"))
                .body("metadata.contacts[0].wa_id", equalTo(phone));
        String wamid = sent.path("messageId");

        // the sandbox's signed status webhooks arrive one after the other and are applied to the stored row
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> given().header("Authorization", admin()).get("/api/v1/sessions/" + sessionId + "/messages")
                        .then().statusCode(200).body("items[0].messageId", equalTo(wamid))
                        .body("items[0].status", equalTo("read")));
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid)).isZero();
    }

    @Test
    void aReadReceiptIsAccepted() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String sessionId = Conversations.session(phone, null, Instant.now().minusSeconds(60));
        String inbound = "wamid.sandbox-test-" + UUID.randomUUID();
        Conversations.inbound(sessionId, inbound, number, Instant.now().minusSeconds(60));

        given().header("Authorization", admin()).post("/api/v1/messages/" + inbound + "/read").then().statusCode(200)
                .body("status", equalTo("read"));
    }

    @Test
    void refusesLikeMetaWithoutAToken() {
        given().contentType(ContentType.JSON).body("{\"to\": \"491512345678\", \"type\": \"text\"}")
                .post("/dev/graph/v25.0/118234567890123/messages").then().statusCode(401)
                .body("error.code", equalTo(190));
    }
}
