package io.wagateway.common;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A test-only endpoint without any security annotation: with
 * {@code quarkus.security.jaxrs.deny-unannotated-endpoints} it must refuse everyone (HttpHardeningTest).
 */
@Path("/test-only/unannotated")
public class UnannotatedTestResource {

    @GET
    public String get() {
        return "served";
    }
}
