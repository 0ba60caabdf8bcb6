package io.wagateway.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health, metrics and request ids as operators and Kubernetes see them. Runs against the jar too (OperationsIT). */
@QuarkusTest
class OperationsTest {

    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void probesAreUpOnceStarted() {
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
    }

    @Test
    void callersRequestIdIsEchoed() {
        given().header(RequestIdFilter.HEADER, "abc-123.shop:7").get("/q/health/live")
                .then().statusCode(200).header(RequestIdFilter.HEADER, "abc-123.shop:7");
    }

    @Test
    void missingOrUnsafeRequestIdIsReplacedByAGeneratedOne() {
        given().get("/q/health/live").then().header(RequestIdFilter.HEADER, matchesPattern(UUID_PATTERN));
        given().header(RequestIdFilter.HEADER, "evil\tid with spaces").get("/q/health/live")
                .then().header(RequestIdFilter.HEADER, matchesPattern(UUID_PATTERN));
        given().header(RequestIdFilter.HEADER, "x".repeat(129)).get("/q/health/live")
                .then().header(RequestIdFilter.HEADER, matchesPattern(UUID_PATTERN));
    }

    @Test
    void errorsCarryTheRequestIdToo() {
        given().header(RequestIdFilter.HEADER, "req-401").get("/api/v1/settings")
                .then().statusCode(401).header(RequestIdFilter.HEADER, "req-401");
    }
}
