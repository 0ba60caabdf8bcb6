package io.wagateway.common;

import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagateway.support.Conversations;
import io.wagateway.support.Sql;

/** Settings bodies: unknown fields and NUL refused, Location never taken from the Host header, limit checked. */
@QuarkusTest
class AdminInputTest {

    static Map<String, Object> settings(String phoneNumberId) {
        Map<String, Object> body = new HashMap<>();
        body.put("apiKey", "shop-api-key-0123456789");
        body.put("phoneNumberId", phoneNumberId);
        body.put("businessId", "204567891234567");
        body.put("accessToken", "EAAG-access-token-0123456789");
        body.put("webhookToken", "verify-token-0123456789");
        return body;
    }

    @Test
    void locationIsRelativeAndNeverBuiltFromTheHostHeader() {
        String phoneNumberId = Conversations.newPhoneNumberId();
        String id = given().header("Authorization", admin()).header("Host", "evil.example:666")
                .contentType(ContentType.JSON).body(settings(phoneNumberId)).post("/api/v1/settings")
                .then().statusCode(201).extract().path("id");
        // RestAssured resolves nothing: read the raw header of a second create.
        String location = given().header("Authorization", admin()).header("Host", "evil.example:666")
                .contentType(ContentType.JSON).body(settings(Conversations.newPhoneNumberId()))
                .post("/api/v1/settings").then().statusCode(201).extract().header("Location");
        assertThat(location).doesNotContain("evil.example").startsWith("/api/v1/settings/");
        assertThat(id).isNotBlank();
    }

    @Test
    void unknownFieldsInASettingsBodyAreRefusedByName() {
        String phoneNumberId = Conversations.newPhoneNumberId();
        Map<String, Object> body = settings(phoneNumberId);
        body.put("isActiv", false);
        given().header("Authorization", admin()).contentType(ContentType.JSON).body(body).post("/api/v1/settings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("isActiv")).body("detail", containsString("isActiv"));
        assertThat(Sql.count("select count(*) from whatsapp_settings where phone_number_id = ?", phoneNumberId)).isZero();
    }

    @Test
    void nulInAStringFieldIsRefused() {
        String phoneNumberId = Conversations.newPhoneNumberId();
        Map<String, Object> body = settings(phoneNumberId);
        body.put("webhookUrl", "https://shop.example/\u0000hook");
        given().header("Authorization", admin()).contentType(ContentType.JSON).body(body).post("/api/v1/settings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("webhookUrl")).body("detail", containsString("U+0000"));
        assertThat(Sql.count("select count(*) from whatsapp_settings where phone_number_id = ?", phoneNumberId)).isZero();
    }

    @Test
    void aNonNumericLimitIsA400Problem() {
        given().header("Authorization", admin()).queryParam("limit", "abc").get("/api/v1/settings")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("limit"));
    }
}
