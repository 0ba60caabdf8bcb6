package io.wagateway.conversation;

import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagateway.support.Conversations;
import io.wagateway.support.Sql;

/** Admin input that used to be stored (and break reads) or reach PostgreSQL unchecked: refused with a 400 problem. */
@QuarkusTest
class SessionInputTest {

    /** A JSON object nested {@code depth} levels deep. */
    static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    static String newSession() {
        return Conversations.session(Conversations.newCustomerPhone(), null, null);
    }

    static io.restassured.response.ValidatableResponse patch(String id, Object body) {
        var request = given().header("Authorization", admin()).contentType(ContentType.JSON);
        // raw bytes as they are (RestAssured would send an Object-typed byte[] as a JSON string)
        request = body instanceof byte[] bytes ? request.body(bytes) : request.body(body);
        return request.patch("/api/v1/sessions/" + id).then().log().ifValidationFails();
    }

    @Test
    void deeplyNestedContextDataIsRefusedAndTheListKeepsWorking() {
        String id = newSession();
        patch(id, "{\"contextData\":" + nested(998) + "}").statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("deeper than"));
        assertThat(Sql.row("select context_data from whatsapp_sessions where id = ?::uuid", id).get("context_data"))
                .isNull();
        given().header("Authorization", admin()).get("/api/v1/sessions").then().statusCode(200);
        patch(id, "{\"contextData\":" + nested(20) + "}").statusCode(200);
    }

    @Test
    void oversizedContextDataIsRefused() {
        String id = newSession();
        patch(id, "{\"contextData\":{\"blob\":\"" + "x".repeat(70_000) + "\"}}").statusCode(400)
                .body("errors[0].field", equalTo("contextData")).body("detail", containsString("bytes"));
        patch(id, "{\"contextData\":{\"blob\":\"" + "x".repeat(1_000) + "\"}}").statusCode(200);
    }

    @Test
    void nulInContextDataIsRefused() {
        String id = newSession();
        patch(id, "{\"contextData\":{\"note\":\"a\\u0000b\"}}").statusCode(400)
                .body("errors[0].field", equalTo("contextData")).body("detail", containsString("U+0000"));
        patch(id, "{\"contextData\":{\"k\\u0000\":1}}").statusCode(400).body("errors[0].field", equalTo("contextData"));
        patch(id, "{\"contextData\":{\"list\":[\"ok\",\"\\u0000\"]}}").statusCode(400);
    }

    @Test
    void unknownFieldsAreRefusedByName() {
        String id = newSession();
        patch(id, "{\"stat\":\"CHECKOUT\"}").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("stat")).body("detail", containsString("stat"));
        assertThat(Sql.row("select cast(state as text) as s from whatsapp_sessions where id = ?::uuid", id).get("s"))
                .isEqualTo("IDLE");
    }

    @Test
    void trailingContentAfterTheJsonValueIsRefused() {
        String id = newSession();
        patch(id, "{\"state\":\"CHECKOUT\"} {\"state\":\"IDLE\"}").statusCode(400)
                .contentType("application/problem+json");
        patch(id, "{\"state\":\"CHECKOUT\"}x").statusCode(400);
        assertThat(Sql.row("select cast(state as text) as s from whatsapp_sessions where id = ?::uuid", id).get("s"))
                .isEqualTo("IDLE");
    }

    @Test
    void overlongUtf8IsRefused() {
        String id = newSession();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"contextData\":{\"path\":\"".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(new byte[] { (byte) 0xC0, (byte) 0xAE, (byte) 0xC0, (byte) 0xAF }); // overlong "./"
        body.writeBytes("\"}}".getBytes(StandardCharsets.US_ASCII));
        patch(id, body.toByteArray()).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("UTF-8"));
        assertThat(Sql.row("select context_data from whatsapp_sessions where id = ?::uuid", id).get("context_data"))
                .isNull();
        // Real multi-byte characters still pass.
        patch(id, "{\"contextData\":{\"name\":\"Zoë 東京 😀\"}}".getBytes(StandardCharsets.UTF_8)).statusCode(200)
                .body("contextData.name", equalTo("Zoë 東京 😀"));
    }

    @Test
    void datesPostgresqlCannotHoldAreRefused() {
        for (String since : new String[] { "+100000-01-01T00:00:00Z", "+294277-01-01T00:00:00Z", "-4714-01-01T00:00:00Z" }) {
            given().header("Authorization", admin()).queryParam("updatedSince", since).get("/api/v1/sessions")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("updatedSince"));
        }
        given().header("Authorization", admin()).queryParam("updatedSince", "9999-12-31T23:59:59Z")
                .get("/api/v1/sessions").then().statusCode(200);
    }

    @Test
    void aNonNumericLimitIsA400Problem() {
        given().header("Authorization", admin()).queryParam("limit", "abc").get("/api/v1/sessions")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("limit"));
        given().header("Authorization", admin()).queryParam("limit", "abc").get("/api/v1/sessions/" + newSession()
                + "/messages").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("limit"));
        given().header("Authorization", admin()).queryParam("limit", "2").get("/api/v1/sessions").then().statusCode(200);
    }

    @Test
    void aResponseThatCannotBeWrittenIsA500NotA400() {
        // Stored before depth was bounded on write; inside a list page it nests deeper than Jackson writes: the
        // server's failure, not the caller's.
        String phone = Conversations.newCustomerPhone();
        String id = Conversations.session(phone, null, null);
        try {
            Sql.update("update whatsapp_sessions set context_data = cast(? as jsonb) where id = ?::uuid", nested(999), id);
            given().header("Authorization", admin()).queryParam("phoneNumber", phone).get("/api/v1/sessions")
                    .then().statusCode(500).contentType("application/problem+json")
                    .body("title", equalTo("Internal error"));
        } finally {
            Sql.update("delete from whatsapp_sessions where id = ?::uuid", id);
        }
    }
}
