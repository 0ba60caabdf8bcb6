package io.wagateway.settings;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagateway.support.PostgresTestResource;
import io.wagateway.support.Sql;
import io.wagateway.support.V1Ciphertext;

/** Black-box: HTTP in, HTTP and rows out. Runs as-is against the packaged jar (SettingsResourceIT). */
@QuarkusTest
class SettingsResourceTest {

    static final String ACCESS_TOKEN = "EAAGm0PX4ZCpsBAKZCz7secret-access-token-x9Qz";
    static final String API_KEY = "shop-api-key-plaintext-1";
    static final String WEBHOOK_TOKEN = "verify-token-plaintext";
    static final String APP_SECRET = "app-secret-plaintext-0123456789abcdef";

    static String admin() {
        return "Bearer " + PostgresTestResource.ADMIN_KEY;
    }

    static String newPhoneNumberId() {
        return String.valueOf(100_000_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999_999L));
    }

    static Map<String, Object> createBody(String phoneNumberId) {
        return Map.of("apiKey", API_KEY, "phoneNumberId", phoneNumberId, "businessId", "204567891234567",
                "accessToken", ACCESS_TOKEN, "webhookToken", WEBHOOK_TOKEN,
                "webhookUrl", "https://shop.example.com/webhooks/whatsapp", "appSecret", APP_SECRET);
    }

    static Response create(Map<String, Object> body) {
        return given().header("Authorization", admin()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/settings");
    }

    static void assertNoSecret(String body) {
        assertThat(body).doesNotContain(ACCESS_TOKEN).doesNotContain(API_KEY).doesNotContain(WEBHOOK_TOKEN)
                .doesNotContain(APP_SECRET).doesNotContain("v1:test-").doesNotContain("v2:test-");
    }

    @Test
    void createGetListUpdateDelete() {
        String phone = newPhoneNumberId();
        Response created = create(createBody(phone));
        created.then().statusCode(201).contentType(ContentType.JSON)
                .header("Location", containsString("/api/v1/settings/"))
                .body("phoneNumberId", equalTo(phone))
                .body("businessId", equalTo("204567891234567"))
                .body("webhookUrl", equalTo("https://shop.example.com/webhooks/whatsapp"))
                .body("isActive", equalTo(true))
                .body("apiKeySet", equalTo(true))
                .body("accessTokenSet", equalTo(true))
                .body("accessTokenLast4", equalTo("x9Qz"))
                .body("webhookTokenSet", equalTo(true))
                .body("appSecretSet", equalTo(true))
                .body("createdAt", notNullValue())
                .body("lastUpdatedAt", notNullValue());
        assertNoSecret(created.asString());
        String id = created.path("id");

        Response got = given().header("Authorization", admin()).get("/api/v1/settings/" + id);
        got.then().statusCode(200).body("id", equalTo(id)).body("phoneNumberId", equalTo(phone));
        assertNoSecret(got.asString());

        Response listed = given().header("Authorization", admin()).queryParam("limit", 200).get("/api/v1/settings");
        listed.then().statusCode(200).body("items.id", hasItem(id));
        assertNoSecret(listed.asString());

        Response updated = given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("businessId", "999", "accessToken", "EAAGnewtoken-rotated-value-ABCD", "appSecret", ""))
                .put("/api/v1/settings/" + id);
        updated.then().statusCode(200)
                .body("businessId", equalTo("999"))
                .body("accessTokenLast4", equalTo("ABCD"))
                .body("appSecretSet", equalTo(false))
                .body("webhookTokenSet", equalTo(true))
                .body("phoneNumberId", equalTo(phone));
        assertThat(updated.asString()).doesNotContain("EAAGnewtoken-rotated-value-ABCD");

        given().header("Authorization", admin()).delete("/api/v1/settings/" + id).then().statusCode(204);
        given().header("Authorization", admin()).get("/api/v1/settings/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        given().header("Authorization", admin()).delete("/api/v1/settings/" + id).then().statusCode(404);
        assertThat(Sql.count("select count(*) from whatsapp_settings where id = ?::uuid", id)).isZero();
    }

    @Test
    void secretsAreEncryptedAtRestUnderTheCurrentKey() {
        String id = create(createBody(newPhoneNumberId())).then().statusCode(201).extract().path("id");
        Map<String, Object> row = Sql.row("select api_key, access_token, webhook_token, app_secret "
                + "from whatsapp_settings where id = ?::uuid", id);
        assertThat(row.values()).allSatisfy(v -> assertThat((String) v).startsWith("v2:test-current:"));
        assertThat(row.values().toString()).doesNotContain(ACCESS_TOKEN).doesNotContain(API_KEY)
                .doesNotContain(WEBHOOK_TOKEN).doesNotContain(APP_SECRET);
    }

    @Test
    void rowWrittenUnderTheOldKeyAndFormatStillDecryptsAndIsReencryptedOnItsNextWrite() {
        // Encrypted as a deployment did before "test-current" was put first in gateway.encryption.keys, in the
        // format of releases before the row id was bound in.
        String old = PostgresTestResource.ENCRYPTION_KEYS.split(",")[1];
        String id = UUID.randomUUID().toString();
        Sql.update("""
                insert into whatsapp_settings (id, api_key, phone_number_id, business_id, access_token, webhook_token,
                  app_secret, is_active, last_updated_at) values (?::uuid, ?, ?, '1', ?, ?, ?, false, now())
                """, id, V1Ciphertext.encrypt(old, "k", "api_key"), newPhoneNumberId(),
                V1Ciphertext.encrypt(old, "EAAG-old-key-token-0000-LAST", "access_token"),
                V1Ciphertext.encrypt(old, "w", "webhook_token"), V1Ciphertext.encrypt(old, APP_SECRET, "app_secret"));
        given().header("Authorization", admin()).get("/api/v1/settings/" + id).then().statusCode(200)
                .body("accessTokenLast4", equalTo("LAST")).body("appSecretSet", equalTo(true));

        given().header("Authorization", admin()).contentType(ContentType.JSON).body(Map.of("webhookUrl", ""))
                .put("/api/v1/settings/" + id).then().statusCode(200);
        Map<String, Object> row = Sql.row("select api_key, access_token, webhook_token, app_secret "
                + "from whatsapp_settings where id = ?::uuid", id);
        assertThat(row.values()).allSatisfy(v -> assertThat((String) v).startsWith("v2:test-current:"));
        given().header("Authorization", admin()).get("/api/v1/settings/" + id).then().statusCode(200)
                .body("accessTokenLast4", equalTo("LAST")).body("appSecretSet", equalTo(true));
    }

    @Test
    void aCiphertextCopiedToAnotherRowDoesNotDecryptThere() {
        String victim = create(createBody(newPhoneNumberId())).then().statusCode(201).extract().path("id");
        Map<String, Object> other = new java.util.HashMap<>(createBody(newPhoneNumberId()));
        other.put("accessToken", "EAAG-attackers-own-token-value-0000-MINE");
        other.put("webhookToken", "attackers-verify-token-0001");
        String attacker = create(other).then().statusCode(201).extract().path("id");
        try {
            // Someone with write access to the table moves the victim's token into their own row.
            Sql.update("update whatsapp_settings set access_token = (select access_token from whatsapp_settings "
                    + "where id = ?::uuid) where id = ?::uuid", victim, attacker);
            Response got = given().header("Authorization", admin()).get("/api/v1/settings/" + attacker);
            got.then().statusCode(500).contentType("application/problem+json");
            assertThat(got.asString()).doesNotContain("x9Qz");
            // The broken row costs only itself: the webhook still knows every other row's verify token (a
            // settings write drops the webhook's cached view, so this reload reads the broken row).
            given().header("Authorization", admin()).contentType(ContentType.JSON).body(Map.of("webhookUrl", ""))
                    .put("/api/v1/settings/" + victim).then().statusCode(200);
            given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", WEBHOOK_TOKEN)
                    .queryParam("hub.challenge", "42").get("/webhooks/whatsapp").then().statusCode(200)
                    .body(equalTo("42"));
            given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "attackers-verify-token-0001")
                    .queryParam("hub.challenge", "42").get("/webhooks/whatsapp").then().statusCode(403);
        } finally {
            // A row that cannot be decrypted fails every settings list it is in: leave none behind.
            Sql.update("delete from whatsapp_settings where id = ?::uuid", attacker);
        }
    }

    @Test
    void oneActiveRowPerPhoneNumber() {
        String phone = newPhoneNumberId();
        create(createBody(phone)).then().statusCode(201);
        create(createBody(phone)).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString(phone));
        // An inactive row for the same number is fine; activating it is the conflict.
        Map<String, Object> inactive = new java.util.HashMap<>(createBody(phone));
        inactive.put("isActive", false);
        String id = create(inactive).then().statusCode(201).body("isActive", equalTo(false)).extract().path("id");
        given().header("Authorization", admin()).contentType(ContentType.JSON).body(Map.of("isActive", true))
                .put("/api/v1/settings/" + id).then().statusCode(409);
    }

    @Test
    void validationErrorsNameEachField() {
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("phoneNumberId", "12ab", "webhookUrl", "ftp://x"))
                .post("/api/v1/settings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Validation failed"))
                .body("errors.field", hasItem("phoneNumberId"))
                .body("errors.field", hasItem("accessToken"))
                .body("errors.field", hasItem("apiKey"))
                .body("errors.field", hasItem("webhookToken"))
                .body("errors.field", hasItem("businessId"))
                .body("errors.field", hasItem("webhookUrl"));
        given().header("Authorization", admin()).contentType(ContentType.JSON).body("{\"apiKey\": ")
                .post("/api/v1/settings").then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", admin()).contentType(ContentType.JSON).body(Map.of("isActive", "maybe"))
                .put("/api/v1/settings/" + UUID.randomUUID()).then().statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", admin()).get("/api/v1/settings/not-a-uuid").then().statusCode(404);
        given().header("Authorization", admin()).queryParam("cursor", "garbage!").get("/api/v1/settings")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void secretsWithWhitespaceControlsOrTooShortAreRefusedOnCreateAndUpdate() {
        Map<String, Object> body = new java.util.HashMap<>(createBody(newPhoneNumberId()));
        body.put("accessToken", ACCESS_TOKEN + "\n");
        body.put("appSecret", "0123456789abcdef");
        body.put("webhookToken", "   ");
        create(body).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("accessToken"))
                .body("errors.field", hasItem("appSecret"))
                .body("errors.field", hasItem("webhookToken"));
        body = new java.util.HashMap<>(createBody(newPhoneNumberId()));
        body.put("appSecret", "0123456789abcdef 0123456789abcdef");
        create(body).then().statusCode(400).body("errors.field", hasItem("appSecret"))
                .body("detail", containsString("whitespace"));
        body.put("appSecret", "0123456789abcdef\u00000123456789abcdef");
        create(body).then().statusCode(400).body("errors.field", hasItem("appSecret"));

        String id = create(createBody(newPhoneNumberId())).then().statusCode(201).extract().path("id");
        for (Map<String, Object> change : List.<Map<String, Object>> of(Map.of("appSecret", "x"),
                Map.of("appSecret", APP_SECRET + "\t"), Map.of("accessToken", "EAAG token"),
                Map.of("accessToken", ACCESS_TOKEN + "\r\n"), Map.of("webhookToken", " "),
                Map.of("webhookToken", "short-token"))) {
            String field = change.keySet().iterator().next();
            given().header("Authorization", admin()).contentType(ContentType.JSON).body(change)
                    .put("/api/v1/settings/" + id).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem(field));
        }
        // Nothing of the refused changes was written; Meta's own formats pass and an empty appSecret still clears.
        given().header("Authorization", admin()).get("/api/v1/settings/" + id).then().statusCode(200)
                .body("accessTokenLast4", equalTo("x9Qz")).body("appSecretSet", equalTo(true));
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("appSecret", "0123456789abcdef0123456789abcdef", "webhookToken", "sixteen-chars-ok"))
                .put("/api/v1/settings/" + id).then().statusCode(200).body("appSecretSet", equalTo(true));
        given().header("Authorization", admin()).contentType(ContentType.JSON).body(Map.of("appSecret", ""))
                .put("/api/v1/settings/" + id).then().statusCode(200).body("appSecretSet", equalTo(false));
    }

    @Test
    void adminApiNeedsAValidKey() {
        given().get("/api/v1/settings").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong-key").get("/api/v1/settings").then().statusCode(401);
        given().header("Authorization", "Basic " + PostgresTestResource.ADMIN_KEY).get("/api/v1/settings")
                .then().statusCode(401);
        given().header("Authorization", "Bearer " + PostgresTestResource.ADMIN_KEY + "x").get("/api/v1/settings")
                .then().statusCode(401);
        given().contentType(ContentType.JSON).body(createBody(newPhoneNumberId())).post("/api/v1/settings")
                .then().statusCode(401);
        given().delete("/api/v1/settings/" + UUID.randomUUID()).then().statusCode(401);
        // Either configured key works (rotation).
        given().header("Authorization", "Bearer " + PostgresTestResource.SECOND_ADMIN_KEY).get("/api/v1/settings")
                .then().statusCode(200);
    }

    @Test
    void keysetPagingReturnsEveryRowOnce() {
        for (int i = 0; i < 7; i++) {
            create(createBody(newPhoneNumberId())).then().statusCode(201);
        }
        long total = Sql.count("select count(*) from whatsapp_settings");
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().header("Authorization", admin()).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/api/v1/settings");
            page.then().statusCode(200);
            List<String> ids = page.path("items.id");
            assertThat(ids).hasSizeLessThanOrEqualTo(3).allSatisfy(id -> assertThat(seen.add(id)).isTrue());
            cursor = page.path("nextCursor");
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(seen).hasSize((int) total);
        given().header("Authorization", admin()).queryParam("limit", 201).get("/api/v1/settings").then().statusCode(400);
    }
}
