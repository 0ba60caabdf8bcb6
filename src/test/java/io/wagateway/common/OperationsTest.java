package io.wagateway.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.ManagementPort;
import io.wagateway.support.Sql;

/**
 * Health, metrics and request ids as operators and Kubernetes see them: health and metrics on the management
 * interface only, never on the service port. Runs against the jar too (OperationsIT).
 */
@QuarkusTest
class OperationsTest {

    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    /** An endpoint of the service port that answers without credentials (the handshake refuses: 403). */
    static final String PUBLIC_PATH = "/webhooks/whatsapp";

    @Test
    void probesAreUpOnceStartedOnTheManagementInterface() {
        given().get(ManagementPort.url("/q/health/started")).then().statusCode(200).body("status", equalTo("UP"));
        given().get(ManagementPort.url("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
        given().get(ManagementPort.url("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessNamesTheSchemaAndTheAppliedVersion() {
        String version = (String) Sql.row("select max(version::int)::text as v from flyway_schema_history "
                + "where success and type <> 'BASELINE'").get("v");
        given().get(ManagementPort.url("/q/health/ready")).then().statusCode(200)
                .body("checks.find { it.name == 'database schema' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'database schema' }.data.schema", equalTo("public"))
                .body("checks.find { it.name == 'database schema' }.data.schemaVersion", equalTo(version));
    }

    @Test
    void prometheusMetricsAreExposedOnTheManagementInterface() {
        given().get(PUBLIC_PATH).then().statusCode(403);
        given().get(ManagementPort.url("/q/metrics")).then().statusCode(200)
                .body(containsString("http_server_requests_seconds"));
    }

    @Test
    void servicePortServesNeitherHealthNorMetrics() {
        for (String path : new String[] { "/q/metrics", "/q/health", "/q/health/live", "/q/health/ready" }) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void callersRequestIdIsEchoed() {
        given().header(RequestIdFilter.HEADER, "abc-123.shop:7").get(PUBLIC_PATH)
                .then().statusCode(403).header(RequestIdFilter.HEADER, "abc-123.shop:7");
    }

    @Test
    void missingOrUnsafeRequestIdIsReplacedByAGeneratedOne() {
        given().get(PUBLIC_PATH).then().header(RequestIdFilter.HEADER, matchesPattern(UUID_PATTERN));
        given().header(RequestIdFilter.HEADER, "evil\tid with spaces").get(PUBLIC_PATH)
                .then().header(RequestIdFilter.HEADER, matchesPattern(UUID_PATTERN));
        given().header(RequestIdFilter.HEADER, "x".repeat(129)).get(PUBLIC_PATH)
                .then().header(RequestIdFilter.HEADER, matchesPattern(UUID_PATTERN));
    }

    @Test
    void errorsCarryTheRequestIdToo() {
        given().header(RequestIdFilter.HEADER, "req-401").get("/api/v1/settings")
                .then().statusCode(401).header(RequestIdFilter.HEADER, "req-401");
    }
}
