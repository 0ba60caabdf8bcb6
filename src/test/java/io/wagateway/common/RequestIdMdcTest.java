package io.wagateway.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** The request id stays in the log context across a reactive hop (a Vert.x timer), where log lines are written. */
@QuarkusTest
class RequestIdMdcTest {

    /** Test-only endpoint (not in the packaged jar): answers the MDC request id seen after an async hop. */
    @Path("/test/request-id")
    @PermitAll // every endpoint must say who may call it (quarkus.security.jaxrs.deny-unannotated-endpoints)
    public static class MdcProbe {

        @Inject
        Vertx vertx;

        @GET
        public Uni<String> afterAsyncHop() {
            // Like a database callback: a later event-loop turn on the request's (duplicated) context.
            return Uni.createFrom().emitter(emitter -> vertx.setTimer(20,
                    timer -> emitter.complete(String.valueOf(MDC.get(RequestIdFilter.MDC_KEY)))));
        }
    }

    @Test
    void mdcCarriesTheRequestIdAcrossAsyncContinuations() {
        given().header(RequestIdFilter.HEADER, "mdc-check-42").get("/test/request-id")
                .then().statusCode(200).body(equalTo("mdc-check-42"));
    }
}
