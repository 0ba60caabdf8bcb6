package io.wagateway.audit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.wagateway.security.ConstantTime;
import io.wagateway.support.Conversations;
import io.wagateway.support.GraphApiMock;
import io.wagateway.support.Metrics;
import io.wagateway.support.PostgresTestResource;
import io.wagateway.support.Sql;

/**
 * The audit log over HTTP: each admin write leaves one row naming the key (principal and fingerprint, never the key),
 * the action, the row and the outcome; refusals after authentication are recorded, unauthenticated requests are not;
 * GET /api/v1/audit filters and pages; the retention job drops old rows.
 */
@QuarkusTest
class AuditResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Inject
    AuditRetention retention;

    private static String fingerprint(String key) {
        return HexFormat.of().formatHex(ConstantTime.sha256(key)).substring(0, 16);
    }

    private static String requestId() {
        return "audit-" + UUID.randomUUID();
    }

    /** An admin request with its own request id, by key 1 or 2. */
    private static RequestSpecification as(int key, String requestId) {
        String secret = key == 1 ? PostgresTestResource.ADMIN_KEY : PostgresTestResource.SECOND_ADMIN_KEY;
        return given().header("Authorization", "Bearer " + secret).header("X-Request-Id", requestId)
                .contentType(ContentType.JSON);
    }

    /** The audit rows of one request. */
    private static List<Map<String, Object>> rowsOf(String requestId) {
        return Sql.rows("select actor, key_fingerprint, action, resource_type, resource_id, http_method, path, status, "
                + "details::text as details from gateway_audit_log where request_id = ?", requestId);
    }

    private static Map<String, Object> rowOf(String requestId) {
        List<Map<String, Object>> rows = rowsOf(requestId);
        assertThat(rows).as("audit rows of request %s", requestId).hasSize(1);
        return rows.get(0);
    }

    private static void assertNoSecretStored(String... secrets) {
        for (String secret : secrets) {
            assertThat(Sql.count("select count(*) from gateway_audit_log a where strpos(row_to_json(a)::text, ?) > 0",
                    secret)).as("audit rows holding a secret").isZero();
        }
    }

    @Test
    void settingsCreateAndPatchAreRecordedWithTheirKeyAndFieldNamesOnly() {
        String create = requestId();
        String id = as(1, create).body(Map.of("apiKey", "api-key-of-the-number", "phoneNumberId",
                Conversations.newPhoneNumberId(), "businessId", "204567891234567", "accessToken",
                Conversations.ACCESS_TOKEN, "webhookToken", "verify-token-for-tests")).post("/api/v1/settings").then()
                .statusCode(201).header("X-Request-Id", create).extract().jsonPath().getString("id");
        assertThat(rowOf(create)).containsEntry("actor", "admin-key-1")
                .containsEntry("key_fingerprint", fingerprint(PostgresTestResource.ADMIN_KEY))
                .containsEntry("action", "settings.create").containsEntry("resource_type", "settings")
                .containsEntry("resource_id", id).containsEntry("http_method", "POST")
                .containsEntry("path", "/api/v1/settings").containsEntry("status", 201);

        String patch = requestId();
        as(2, patch).body(Map.of("isActive", false, "accessToken", Conversations.ACCESS_TOKEN + "-rotated"))
                .patch("/api/v1/settings/" + id).then().statusCode(200);
        Map<String, Object> patched = rowOf(patch);
        assertThat(patched).containsEntry("actor", "admin-key-2")
                .containsEntry("key_fingerprint", fingerprint(PostgresTestResource.SECOND_ADMIN_KEY))
                .containsEntry("action", "settings.update").containsEntry("resource_id", id)
                .containsEntry("http_method", "PATCH").containsEntry("path", "/api/v1/settings/{id}")
                .containsEntry("status", 200);
        assertThat((String) patched.get("details")).isEqualTo("{\"fields\": [\"accessToken\", \"isActive\"]}");
        assertNoSecretStored(PostgresTestResource.ADMIN_KEY, PostgresTestResource.SECOND_ADMIN_KEY,
                Conversations.ACCESS_TOKEN, "api-key-of-the-number", "verify-token-for-tests");
    }

    @Test
    void sessionPatchSendAndCustomerEraseAreRecorded() {
        String number = Conversations.activeBusinessNumber();
        String phone = Conversations.newCustomerPhone();
        String sessionId = Conversations.session(phone, number, Instant.now().minus(Duration.ofHours(1)));

        String patch = requestId();
        as(1, patch).body(Map.of("state", "VIEWING_CART")).patch("/api/v1/sessions/" + sessionId).then()
                .statusCode(200);
        assertThat(rowOf(patch)).containsEntry("action", "session.update").containsEntry("resource_type", "session")
                .containsEntry("resource_id", sessionId).containsEntry("status", 200)
                .containsEntry("details", "{\"fields\": [\"state\"]}");

        String wamid = "wamid.AUDIT" + UUID.randomUUID().toString().replace("-", "");
        GraphApiMock.resetClient().register(post(urlEqualTo("/v25.0/" + number + "/messages")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"messaging_product": "whatsapp", "contacts": [{"input": "+%s", "wa_id": "%s"}],
                         "messages": [{"id": "%s"}]}""".formatted(phone, phone, wamid))));
        String send = requestId();
        String messageId = as(1, send).body("{\"to\": \"+" + phone + "\", \"type\": \"text\", \"text\": {\"body\": "
                + "\"private words\"}}").post("/api/v1/messages").then().statusCode(201).extract().jsonPath()
                .getString("id");
        assertThat(rowOf(send)).containsEntry("action", "message.send").containsEntry("resource_type", "message")
                .containsEntry("resource_id", messageId).containsEntry("path", "/api/v1/messages")
                .containsEntry("status", 201).containsEntry("details", "{\"fields\": [\"to\", \"type\", \"text\"]}");
        assertNoSecretStored("private words");

        String customerId = UUID.randomUUID().toString();
        Sql.update("insert into customer_profiles (id, wa_id, updated_at) values (?::uuid, ?, now())", customerId,
                Conversations.newCustomerPhone());
        String erase = requestId();
        as(2, erase).delete("/api/v1/customers/" + customerId).then().statusCode(204);
        assertThat(rowOf(erase)).containsEntry("actor", "admin-key-2").containsEntry("action", "customer.erase")
                .containsEntry("resource_type", "customer").containsEntry("resource_id", customerId)
                .containsEntry("http_method", "DELETE").containsEntry("status", 204);
    }

    @Test
    void subscriptionCreateAndDeleteAreRecordedWithoutTheSecret() {
        String create = requestId();
        String id = as(1, create).body(Map.of("url", "https://hooks.example.com/audit", "secret", SECRET))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath().getString("id");
        assertThat(rowOf(create)).containsEntry("action", "subscription.create")
                .containsEntry("resource_type", "subscription").containsEntry("resource_id", id)
                .containsEntry("status", 201);
        String delete = requestId();
        as(1, delete).delete("/api/v1/subscriptions/" + id).then().statusCode(204);
        assertThat(rowOf(delete)).containsEntry("action", "subscription.delete").containsEntry("resource_id", id)
                .containsEntry("path", "/api/v1/subscriptions/{id}").containsEntry("status", 204);
        assertNoSecretStored(SECRET);
    }

    @Test
    void refusedWritesAreRecordedWithTheirStatusAndUnauthenticatedOnesAreNot() {
        String unknown = UUID.randomUUID().toString();
        String notFound = requestId();
        as(1, notFound).body(Map.of("isActive", false)).patch("/api/v1/settings/" + unknown).then().statusCode(404);
        assertThat(rowOf(notFound)).containsEntry("action", "settings.update").containsEntry("resource_id", unknown)
                .containsEntry("status", 404);

        String invalid = requestId();
        as(1, invalid).body(Map.of("phoneNumberId", "not-digits")).post("/api/v1/settings").then().statusCode(400);
        assertThat(rowOf(invalid)).containsEntry("action", "settings.create").containsEntry("status", 400)
                .containsEntry("resource_id", null);

        String number = Conversations.newPhoneNumberId();
        String badDuration = requestId();
        as(2, badDuration).body(Map.of("messages", "soon")).put("/api/v1/retention/" + number).then()
                .statusCode(400);
        assertThat(rowOf(badDuration)).containsEntry("action", "retention.put").containsEntry("resource_id", number)
                .containsEntry("status", 400);

        String anonymous = requestId();
        given().header("X-Request-Id", anonymous).contentType(ContentType.JSON).body(Map.of("isActive", false))
                .patch("/api/v1/settings/" + unknown).then().statusCode(401);
        String wrongKey = requestId();
        given().header("Authorization", "Bearer not-a-configured-key-0123456789abcdef")
                .header("X-Request-Id", wrongKey).delete("/api/v1/customers/" + unknown).then().statusCode(401);
        assertThat(rowsOf(anonymous)).isEmpty();
        assertThat(rowsOf(wrongKey)).isEmpty();
    }

    @Test
    void theListFiltersAndPagesNewestFirstAndIsNotItselfRecorded() {
        String number = Conversations.newPhoneNumberId();
        as(1, requestId()).body(Map.of("messages", "30d")).put("/api/v1/retention/" + number).then().statusCode(200);
        as(2, requestId()).body(Map.of("messages", "60d")).put("/api/v1/retention/" + number).then().statusCode(200);
        String last = requestId();
        as(1, last).delete("/api/v1/retention/" + number).then().statusCode(204);

        String list = requestId();
        var first = as(1, list).queryParam("resourceType", "retention").queryParam("resourceId", number)
                .queryParam("limit", 2).get("/api/v1/audit").then().statusCode(200)
                .body("items.action", contains("retention.delete", "retention.put"))
                .body("items[0].requestId", equalTo(last)).body("items[0].actor", equalTo("admin-key-1"))
                .body("items[0].keyFingerprint", equalTo(fingerprint(PostgresTestResource.ADMIN_KEY)))
                .body("items[0].method", equalTo("DELETE")).body("items[0].path", equalTo("/api/v1/retention/{phoneNumberId}"))
                .body("items[0].status", equalTo(204)).body("items[0].occurredAt", notNullValue())
                .body("items[1].details.fields", contains("messages")).body("nextCursor", notNullValue())
                .extract().jsonPath();
        assertThat(rowsOf(list)).as("a read is no write").isEmpty();
        as(1, requestId()).queryParam("resourceType", "retention").queryParam("resourceId", number)
                .queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor")).get("/api/v1/audit").then()
                .statusCode(200).body("items.actor", contains("admin-key-1")).body("nextCursor", nullValue());

        as(1, requestId()).queryParam("resourceId", number).queryParam("actor", "admin-key-2").get("/api/v1/audit")
                .then().statusCode(200).body("items.action", contains("retention.put"));
        as(1, requestId()).queryParam("resourceId", number).queryParam("action", "retention.delete")
                .get("/api/v1/audit").then().statusCode(200).body("items.requestId", contains(last));
        as(1, requestId()).queryParam("resourceId", number).queryParam("since", Instant.now().plusSeconds(3600).toString())
                .get("/api/v1/audit").then().statusCode(200).body("items", empty());
        as(1, requestId()).queryParam("resourceId", number).queryParam("until", Instant.now().minusSeconds(3600).toString())
                .get("/api/v1/audit").then().statusCode(200).body("items", empty());
        as(1, requestId()).queryParam("resourceId", number).queryParam("since", Instant.now().minusSeconds(3600).toString())
                .queryParam("until", Instant.now().plusSeconds(3600).toString()).get("/api/v1/audit").then()
                .statusCode(200).body("items.size()", equalTo(3));

        as(1, requestId()).queryParam("cursor", "bm90LWEtY3Vyc29y").get("/api/v1/audit").then().statusCode(400);
        as(1, requestId()).queryParam("limit", 0).get("/api/v1/audit").then().statusCode(400);
        as(1, requestId()).queryParam("since", "yesterday").get("/api/v1/audit").then().statusCode(400);
        given().get("/api/v1/audit").then().statusCode(401);
    }

    @Test
    void aFailedInsertKeepsTheWriteAndIsCounted() {
        String number = Conversations.newPhoneNumberId();
        // Only this number's audit rows fail, so the rest of the suite is untouched.
        Sql.update("""
                create or replace function audit_test_refuse() returns trigger language plpgsql as $$
                begin raise exception 'refused by the test'; end $$""");
        Sql.update("create trigger audit_test_refuse before insert on gateway_audit_log for each row "
                + "when (new.resource_id = '" + number + "') execute function audit_test_refuse()");
        try {
            double before = Metrics.value("gateway_audit_failures_total", "");
            as(1, requestId()).body(Map.of("messages", "7d")).put("/api/v1/retention/" + number).then()
                    .statusCode(200).body("messages", equalTo("PT168H"));
            assertThat(Sql.count("select count(*) from gateway_retention_overrides where phone_number_id = ?", number))
                    .isOne();
            assertThat(Sql.count("select count(*) from gateway_audit_log where resource_id = ?", number)).isZero();
            assertThat(Metrics.value("gateway_audit_failures_total", "")).isEqualTo(before + 1);
        } finally {
            Sql.update("drop trigger audit_test_refuse on gateway_audit_log");
            Sql.update("drop function audit_test_refuse()");
        }
    }

    @Test
    void retentionDropsOnlyEntriesPastTheirAgeInBatches() {
        String marker = "audit-retention-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            Sql.update("insert into gateway_audit_log (occurred_at, actor, action, resource_id) "
                    + "values (now() - interval '400 days', 'cli', 'schema.rollback', ?)", marker);
        }
        Sql.update("insert into gateway_audit_log (occurred_at, actor, action, resource_id) "
                + "values (now() - interval '10 days', 'cli', 'schema.rollback', ?)", marker);
        assertThat(retention.run(Instant.now().minus(Duration.ofDays(365)), 2).await().atMost(WAIT))
                .isGreaterThanOrEqualTo(5);
        assertThat(Sql.rows("select extract(day from now() - occurred_at)::int as age from gateway_audit_log "
                + "where resource_id = ?", marker)).extracting(r -> r.get("age")).containsExactly(10);
    }
}
