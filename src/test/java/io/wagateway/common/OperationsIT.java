package io.wagateway.common;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The same checks against the packaged application (prod profile: JSON logs), and what only prod has: no
 * OpenAPI document, no Swagger UI and no metrics on the service port.
 */
@QuarkusIntegrationTest
class OperationsIT extends OperationsTest {

    @Test
    void prodServesNoOpenApiSwaggerUiOrMetricsOnTheServicePort() {
        for (String path : new String[] { "/q/openapi", "/q/openapi?format=json", "/q/swagger-ui", "/q/swagger-ui/",
                "/q/metrics", "/q/health/ready" }) {
            given().get(path).then().statusCode(404);
        }
    }
}
