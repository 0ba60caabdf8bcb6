package io.wagateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The OpenAPI document (dev and test profiles; off in prod, which {@code OperationsIT} proves against the packaged
 * jar): every endpoint, its problems and the admin security scheme, including the webhook route that
 * {@code META-INF/openapi.yaml} describes.
 */
@QuarkusTest
class OpenApiDocumentTest {

    @Test
    void theHandshakeAndTheDeliveryRoute() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/webhooks/whatsapp'.get.responses.'403'", notNullValue())
                .body("paths.'/webhooks/whatsapp'.post.responses.'200'.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/WebhookAck"))
                .body("paths.'/webhooks/whatsapp'.post.responses.'401'.content.'application/problem+json'.schema.$ref",
                        equalTo("#/components/schemas/Problem"))
                .body("paths.'/webhooks/whatsapp'.post.responses.'503'.headers.'Retry-After'", notNullValue())
                .body("paths.'/webhooks/whatsapp'.post.responses", hasKey("413"))
                .body("components.schemas.WebhookAck.properties.statusesPending.type", equalTo("integer"))
                .body("components.schemas.Problem.properties.detail", notNullValue());
    }

    @Test
    void isServedWithSwaggerUiInTheTestProfile() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("whatsapp-gateway"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void settingsEndpointsAndTheSecurityScheme() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.adminApiKey.scheme", equalTo("bearer"))
                .body("paths.'/api/v1/settings'.post.security", notNullValue())
                .body("paths.'/api/v1/settings/{id}'.get.responses.'404'", notNullValue())
                .body("components.schemas.Settings.properties.accessToken", nullValue())
                .body("components.schemas.CreateSettings.properties.accessToken", notNullValue());
    }

    @Test
    void sessionEndpoints() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/sessions'.get.security", notNullValue())
                .body("paths.'/api/v1/sessions'.get.tags", hasItem("Sessions"))
                .body("paths.'/api/v1/sessions/{id}'.get.responses.'404'", notNullValue())
                .body("paths.'/api/v1/sessions/{id}'.patch.responses.'400'", notNullValue())
                .body("paths.'/api/v1/sessions/{id}'.delete.responses.'204'", notNullValue())
                .body("paths.'/api/v1/sessions/{id}/messages'.get.security", notNullValue())
                .body("components.schemas.Session.properties.windowExpiresAt", notNullValue())
                .body("components.schemas.Session.properties.lastMessage", notNullValue())
                .body("components.schemas.Message.properties.status", notNullValue());
    }

    @Test
    void messageEndpoints() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/messages'.post.security", notNullValue())
                .body("paths.'/api/v1/messages'.post.tags", hasItem("Messages"))
                .body("paths.'/api/v1/messages'.post.responses.'409'", notNullValue())
                .body("paths.'/api/v1/messages'.post.responses.'502'", notNullValue())
                .body("paths.'/api/v1/messages'.post.requestBody", notNullValue())
                .body("paths.'/api/v1/messages/{wamid}/read'.post.security", notNullValue())
                .body("paths.'/api/v1/messages/{wamid}/read'.post.responses.'404'", notNullValue())
                .body("components.schemas.SendMessage.properties.to", notNullValue())
                .body("components.schemas.Problem.properties.fbtraceId", notNullValue())
                .body("components.schemas.Message.properties.metadata", notNullValue())
                .body("components.schemas.Session.properties.customerProfile", notNullValue())
                .body("paths.'/api/v1/sessions'.get.responses.'200'", notNullValue())
                .body("components.schemas.SendMessage.properties.template", notNullValue());
    }

    /** Every operation's error answers (4xx and 5xx), each one the reusable problem+json response. */
    private static final Map<String, String> ERRORS = Map.ofEntries(
            Map.entry("POST /api/v1/messages", "400 401 409 422 502 504"),
            Map.entry("POST /api/v1/messages/{wamid}/read", "401 404 409 502"),
            Map.entry("GET /api/v1/customers", "400 401"),
            Map.entry("DELETE /api/v1/customers/{id}", "401 404"),
            Map.entry("GET /api/v1/customers/{id}", "401 404"),
            Map.entry("GET /api/v1/customers/{id}/export", "401 404"),
            Map.entry("GET /api/v1/audit", "400 401"),
            Map.entry("GET /api/v1/templates", "400 401"),
            Map.entry("POST /api/v1/templates/sync", "401"),
            Map.entry("GET /api/v1/retention", "401"),
            Map.entry("GET /api/v1/retention/{phoneNumberId}", "400 401 404"),
            Map.entry("PUT /api/v1/retention/{phoneNumberId}", "400 401"),
            Map.entry("DELETE /api/v1/retention/{phoneNumberId}", "400 401 404"),
            Map.entry("GET /api/v1/sessions", "400 401"),
            Map.entry("DELETE /api/v1/sessions/{id}", "401 404"),
            Map.entry("GET /api/v1/sessions/{id}", "401 404"),
            Map.entry("PATCH /api/v1/sessions/{id}", "400 401 404"),
            Map.entry("GET /api/v1/sessions/{id}/messages", "400 401 404"),
            Map.entry("GET /api/v1/settings", "400 401"),
            Map.entry("POST /api/v1/settings", "400 401 409"),
            Map.entry("DELETE /api/v1/settings/{id}", "401 404"),
            Map.entry("GET /api/v1/settings/{id}", "401 404"),
            Map.entry("PATCH /api/v1/settings/{id}", "400 401 404 409"),
            Map.entry("PUT /api/v1/settings/{id}", "400 401 404 409"),
            Map.entry("GET /api/v1/subscriptions/{id}/deliveries", "400 401 404"),
            Map.entry("GET /api/v1/events", "400 401"),
            Map.entry("GET /api/v1/events/stream", "400 401 503"),
            Map.entry("POST /api/v1/subscriptions/{id}/replay", "400 401 404"),
            Map.entry("GET /webhooks/whatsapp", "400 403"),
            Map.entry("POST /webhooks/whatsapp", "400 401 408 413 503"));

    @Test
    void everyErrorAnswerIsTheProblemResponse() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        ERRORS.forEach((operation, statuses) -> {
            String[] parts = operation.split(" ");
            String at = "paths.'" + parts[1] + "'." + parts[0].toLowerCase();
            Map<String, Map<String, Object>> responses = doc.getMap(at + ".responses");
            assertThat(responses).as(operation).isNotNull();
            assertThat(new TreeSet<>(responses.keySet().stream().filter(s -> s.startsWith("4") || s.startsWith("5"))
                    .toList())).as(operation).containsExactlyElementsOf(new TreeSet<>(Arrays.asList(statuses.split(" "))));
            for (String status : statuses.split(" ")) {
                String content = at + ".responses.'" + status + "'.content";
                if (operation.equals("GET /webhooks/whatsapp") && status.equals("403")) {
                    assertThat(doc.getMap(content)).as("the handshake's 403 has no body").isNull();
                    assertThat(doc.getMap(at + ".responses.'403'")).doesNotContainKey("x-no-body");
                    continue;
                }
                assertThat(doc.getMap(content)).as(operation + " " + status).containsOnlyKeys("application/problem+json");
                assertThat(doc.getString(content + ".'application/problem+json'.schema.$ref")).as(operation + " " + status)
                        .isEqualTo("#/components/schemas/Problem");
            }
        });
        assertThat(doc.getString("paths.'/api/v1/sessions/{id}'.get.responses.'404'.description")).isEqualTo("Unknown id");
        assertThat(doc.getMap("components.schemas.Problem.properties")).containsKeys("title", "status", "detail", "errors");
    }
}
