package io.wagateway.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagateway.security.SecretCipher;
import io.wagateway.support.Sql;

/** Subscriptions admin API over HTTP, and the rows it leaves. */
@QuarkusTest
class SubscriptionResourceTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Inject
    SecretCipher cipher;

    static Response create(Map<String, Object> body) {
        return given().header("Authorization", EventLogTest.admin()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/subscriptions");
    }

    private static String storedSecret(String id) {
        return (String) Sql.row("select secret from gateway_subscriptions where id = ?::uuid", id).get("secret");
    }

    @Test
    void replayAndTheAttemptLogRefuseWhatTheyCannotAnswer() {
        String id = create(Map.of("url", "https://hooks.example.com/replay", "secret", SECRET)).then().statusCode(201)
                .extract().jsonPath().getString("id");
        String unknown = java.util.UUID.randomUUID().toString();
        given().header("Authorization", EventLogTest.admin()).contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/subscriptions/" + id + "/replay").then().statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", EventLogTest.admin()).contentType(ContentType.JSON)
                .body(Map.of("fromEventId", 1, "since", "2026-01-01T00:00:00Z"))
                .post("/api/v1/subscriptions/" + id + "/replay").then().statusCode(400);
        given().header("Authorization", EventLogTest.admin()).contentType(ContentType.JSON)
                .body(Map.of("fromEventId", -1)).post("/api/v1/subscriptions/" + id + "/replay").then().statusCode(400);
        given().header("Authorization", EventLogTest.admin()).contentType(ContentType.JSON)
                .body(Map.of("fromEventId", 1)).post("/api/v1/subscriptions/" + unknown + "/replay").then()
                .statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("fromEventId", 1))
                .post("/api/v1/subscriptions/" + id + "/replay").then().statusCode(401);
        // since the far future: nothing to send
        given().header("Authorization", EventLogTest.admin()).contentType(ContentType.JSON)
                .body(Map.of("since", "2999-01-01T00:00:00Z")).post("/api/v1/subscriptions/" + id + "/replay").then()
                .statusCode(202).body("queued", equalTo(0)).body("more", equalTo(false));

        given().header("Authorization", EventLogTest.admin()).get("/api/v1/subscriptions/" + id + "/deliveries")
                .then().statusCode(200).body("items", hasSize(0)).body("nextCursor", nullValue());
        given().header("Authorization", EventLogTest.admin()).queryParam("cursor", "not-a-cursor")
                .get("/api/v1/subscriptions/" + id + "/deliveries").then().statusCode(400);
        given().header("Authorization", EventLogTest.admin()).queryParam("limit", 0)
                .get("/api/v1/subscriptions/" + id + "/deliveries").then().statusCode(400);
        given().header("Authorization", EventLogTest.admin()).get("/api/v1/subscriptions/" + unknown + "/deliveries")
                .then().statusCode(404);
    }

    @Test
    void createWithoutSecretGeneratesOneReturnedOnlyThenGetListPatchDelete() {
        String phone = EventLogTest.newPhoneNumberId();
        Response created = create(Map.of("url", "https://shop.example.com/hooks/whatsapp", "eventTypes",
                List.of(EventType.MESSAGE_RECEIVED), "phoneNumberIds", List.of(phone)));
        created.then().statusCode(201)
                .header("Location", containsString("/api/v1/subscriptions/"))
                .body("url", equalTo("https://shop.example.com/hooks/whatsapp"))
                .body("eventTypes", equalTo(List.of(EventType.MESSAGE_RECEIVED)))
                .body("phoneNumberIds", equalTo(List.of(phone)))
                .body("isActive", equalTo(true)).body("secretSet", equalTo(true))
                .body("createdAt", notNullValue()).body("secret", startsWith("whsec_"));
        String id = created.jsonPath().getString("id");
        String secret = created.jsonPath().getString("secret");
        assertThat(WebhookSigner.key(secret)).hasSize(32);
        // encrypted at rest, bound to its row
        String stored = storedSecret(id);
        assertThat(stored).startsWith("v2:").doesNotContain(secret.substring(6));
        assertThat(cipher.decrypt(stored, SubscriptionService.SECRET_COLUMN, UUID.fromString(id))).isEqualTo(secret);

        String got = given().header("Authorization", EventLogTest.admin()).get("/api/v1/subscriptions/" + id).then()
                .statusCode(200).body("id", equalTo(id)).body("secret", nullValue()).extract().asString();
        assertThat(got).doesNotContain(secret).doesNotContain(stored);

        given().header("Authorization", EventLogTest.admin()).contentType(ContentType.JSON)
                .body(Map.of("isActive", false, "eventTypes", List.of(), "secret", SECRET))
                .patch("/api/v1/subscriptions/" + id).then().statusCode(200)
                .body("isActive", equalTo(false)).body("eventTypes", empty())
                .body("phoneNumberIds", equalTo(List.of(phone)))
                .body("url", equalTo("https://shop.example.com/hooks/whatsapp")).body("secret", nullValue());
        assertThat(cipher.decrypt(storedSecret(id), SubscriptionService.SECRET_COLUMN, UUID.fromString(id)))
                .isEqualTo(SECRET);
        assertThat(Sql.row("select event_types from gateway_subscriptions where id = ?::uuid", id)
                .get("event_types")).isNull();

        given().header("Authorization", EventLogTest.admin()).delete("/api/v1/subscriptions/" + id).then()
                .statusCode(204);
        given().header("Authorization", EventLogTest.admin()).get("/api/v1/subscriptions/" + id).then()
                .statusCode(404);
        given().header("Authorization", EventLogTest.admin()).delete("/api/v1/subscriptions/" + id).then()
                .statusCode(404);
        given().header("Authorization", EventLogTest.admin()).contentType(ContentType.JSON)
                .body(Map.of("isActive", true)).patch("/api/v1/subscriptions/" + id).then().statusCode(404);
    }

    @Test
    void aSecretSentIsKeptAndNeverReturned() {
        Response created = create(Map.of("url", "https://shop.example.com/hooks/b", "secret", SECRET));
        created.then().statusCode(201).body("secret", nullValue()).body("eventTypes", empty())
                .body("phoneNumberIds", empty());
        assertThat(created.asString()).doesNotContain(SECRET);
        String id = created.jsonPath().getString("id");
        assertThat(cipher.decrypt(storedSecret(id), SubscriptionService.SECRET_COLUMN, UUID.fromString(id)))
                .isEqualTo(SECRET);
    }

    @Test
    void theListIsKeysetPagedNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(0, create(Map.of("url", "https://shop.example.com/hooks/page" + i)).then().statusCode(201)
                    .extract().jsonPath().getString("id"));
        }
        Response first = given().header("Authorization", EventLogTest.admin()).queryParam("limit", 2)
                .get("/api/v1/subscriptions");
        first.then().statusCode(200).body("items", hasSize(2)).body("nextCursor", notNullValue());
        List<String> seen = new ArrayList<>(first.jsonPath().getList("items.id", String.class));
        String cursor = first.jsonPath().getString("nextCursor");
        while (cursor != null) {
            Response next = given().header("Authorization", EventLogTest.admin()).queryParam("limit", 2)
                    .queryParam("cursor", cursor).get("/api/v1/subscriptions");
            next.then().statusCode(200);
            seen.addAll(next.jsonPath().getList("items.id", String.class));
            cursor = next.jsonPath().getString("nextCursor");
        }
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.subList(0, 3)).containsExactlyElementsOf(ids);
        given().header("Authorization", EventLogTest.admin()).queryParam("cursor", "garbage")
                .get("/api/v1/subscriptions").then().statusCode(400);
    }

    @Test
    void refusesBadInputAndAnonymousCallers() {
        create(Map.of("url", "ftp://shop.example.com/x")).then().statusCode(400).body("detail", containsString("http"));
        create(Map.of("url", "https://user:pw@shop.example.com/x")).then().statusCode(400);
        create(Map.of()).then().statusCode(400);
        create(Map.of("url", "https://shop.example.com/x", "eventTypes", List.of("whatsapp.nope"))).then()
                .statusCode(400).body("detail", containsString("whatsapp.nope"));
        create(Map.of("url", "https://shop.example.com/x", "secret", "plain-secret")).then().statusCode(400)
                .body("detail", containsString("whsec_"));
        create(Map.of("url", "https://shop.example.com/x", "phoneNumberIds", List.of("12ab"))).then()
                .statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("url", "https://shop.example.com/x"))
                .post("/api/v1/subscriptions").then().statusCode(401);
        given().get("/api/v1/subscriptions").then().statusCode(401);
        assertThat(Sql.count("select count(*) from gateway_subscriptions where url = 'https://shop.example.com/x'"))
                .isZero();
    }
}
