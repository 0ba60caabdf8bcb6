package io.wagateway.common;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Marks a REST request once its resource method has answered, before the body is written: a JSON failure
 * after that point is the server's (500), not a malformed request (400). See {@link ProblemMapper}.
 */
public class ResponsePhase {

    private static final String PROPERTY = ResponsePhase.class.getName();

    @ServerResponseFilter
    public void responding(ContainerRequestContext request) {
        request.setProperty(PROPERTY, Boolean.TRUE);
    }

    static boolean isResponding(ContainerRequestContext request) {
        return request != null && request.getProperty(PROPERTY) != null;
    }
}
