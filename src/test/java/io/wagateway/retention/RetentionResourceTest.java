package io.wagateway.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagateway.support.Conversations;
import io.wagateway.support.Sql;

/** The per-number retention overrides over HTTP, with the rows they leave. */
@QuarkusTest
class RetentionResourceTest {

    private static String number() {
        return "n" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    @Test
    void putGetListAndDeleteAnOverride() {
        String number = number();
        given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                .body("{\"messages\":\"90d\"}").put("/api/v1/retention/" + number).then().statusCode(200)
                .body("phoneNumberId", equalTo(number)).body("messages", equalTo("PT2160H"));
        assertThat(Sql.count("select count(*) from gateway_retention_overrides where phone_number_id = ? "
                + "and messages = interval '90 days'", number)).isEqualTo(1);

        given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                .body("{\"messages\":\"12h\"}").put("/api/v1/retention/" + number).then().statusCode(200)
                .body("messages", equalTo("PT12H"));
        given().header("Authorization", Conversations.admin()).get("/api/v1/retention/" + number).then()
                .statusCode(200).body("messages", equalTo("PT12H"));
        given().header("Authorization", Conversations.admin()).get("/api/v1/retention").then().statusCode(200)
                .body("phoneNumberId", hasItem(number));

        given().header("Authorization", Conversations.admin()).delete("/api/v1/retention/" + number).then()
                .statusCode(204);
        assertThat(Sql.count("select count(*) from gateway_retention_overrides where phone_number_id = ?", number))
                .isZero();
        given().header("Authorization", Conversations.admin()).delete("/api/v1/retention/" + number).then()
                .statusCode(404);
        given().header("Authorization", Conversations.admin()).get("/api/v1/retention/" + number).then()
                .statusCode(404);
    }

    @Test
    void anInvalidDurationOrNoKeyIsRefused() {
        String number = number();
        for (String bad : new String[] { "\"soon\"", "\"0s\"", "\"-5d\"", "\"\"" }) {
            given().header("Authorization", Conversations.admin()).contentType(ContentType.JSON)
                    .body("{\"messages\":" + bad + "}").put("/api/v1/retention/" + number).then().statusCode(400);
        }
        given().contentType(ContentType.JSON).body("{\"messages\":\"90d\"}").put("/api/v1/retention/" + number)
                .then().statusCode(401);
        assertThat(Sql.count("select count(*) from gateway_retention_overrides where phone_number_id = ?", number))
                .isZero();
    }
}
