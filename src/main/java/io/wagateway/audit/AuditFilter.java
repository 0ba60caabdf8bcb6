package io.wagateway.audit;

import java.lang.reflect.RecordComponent;
import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wagateway.common.RequestIdFilter;
import io.wagateway.security.AdminApiKeyIdentityProvider;

/**
 * Records each answer of an {@link Audited} method in the audit log, before the answer is sent: the admin key
 * (principal and fingerprint), the action, the row, the path template, the status and the request id. Refusals (4xx
 * after authentication) are recorded too; unauthenticated requests are not (no admin acted). The insert is its own
 * statement, awaited but outside the write's transaction: a failed insert is logged and counted
 * ({@code gateway_audit_failures_total}), never turned into an error of a write that happened.
 */
public class AuditFilter {

    private static final Logger LOG = Logger.getLogger(AuditFilter.class);

    private final AuditLog log;
    private final CurrentVertxRequest request;
    private final Counter failures;

    public AuditFilter(AuditLog log, CurrentVertxRequest request, MeterRegistry registry) {
        this.log = log;
        this.request = request;
        this.failures = Counter.builder("gateway.audit.failures")
                .description("Admin writes whose audit record could not be stored").register(registry);
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext requestContext, ContainerResponseContext response) {
        RoutingContext current = request.getCurrent();
        // put there by AuditedBody, which runs for every @Audited method (no reflection on the resource method)
        Audited audited = current == null ? null : current.get(AuditedBody.AUDITED);
        if (audited == null) {
            return Uni.createFrom().voidItem();
        }
        SecurityIdentity identity = current != null && current.user() instanceof QuarkusHttpUser user
                ? user.getSecurityIdentity()
                : null;
        if (identity == null || identity.isAnonymous()) {
            return Uni.createFrom().voidItem();
        }
        AuditLog.Entry entry = new AuditLog.Entry(identity.getPrincipal().getName(),
                identity.getAttribute(AdminApiKeyIdentityProvider.KEY_FINGERPRINT), audited.action(),
                audited.resource(), resourceId(audited, requestContext, response), requestContext.getMethod(),
                template(requestContext), response.getStatus(), current.response().headers().get(RequestIdFilter.HEADER),
                details(current));
        return log.record(entry).onFailure().recoverWithUni(failure -> {
            failures.increment();
            LOG.warnf("Audit record of %s on %s %s (status %d) not stored: %s", entry.action(), entry.resourceType(),
                    entry.resourceId(), entry.status(), failure.getClass().getSimpleName());
            return Uni.createFrom().voidItem();
        });
    }

    /** The row: the path parameter, else the last segment of a Location header, else the body's id. */
    static String resourceId(Audited audited, ContainerRequestContext request, ContainerResponseContext response) {
        String fromPath = request.getUriInfo().getPathParameters().getFirst(audited.idParam());
        if (fromPath != null) {
            return fromPath;
        }
        String location = response.getHeaderString(HttpHeaders.LOCATION);
        if (location != null && !location.isEmpty()) {
            return location.substring(location.lastIndexOf('/') + 1);
        }
        if (response.getEntity() instanceof Record body) {
            for (RecordComponent component : body.getClass().getRecordComponents()) {
                if (component.getName().equals("id")) {
                    try {
                        Object id = component.getAccessor().invoke(body);
                        return id == null ? null : id.toString();
                    } catch (ReflectiveOperationException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The path as declared ({@code /api/v1/settings/{id}}): the request's path with each path parameter's segment
     * named instead of its value; no query string.
     */
    static String template(ContainerRequestContext request) {
        var uri = request.getUriInfo();
        String[] segments = uri.getPath().split("/", -1);
        uri.getPathParameters().forEach((name, values) -> {
            for (int i = 0; i < segments.length; i++) {
                if (values.contains(segments[i])) {
                    segments[i] = "{" + name + "}";
                }
            }
        });
        return String.join("/", segments);
    }

    private static JsonObject details(RoutingContext current) {
        List<String> fields = current.get(AuditedBody.FIELDS);
        return fields == null ? null : new JsonObject().put("fields", new JsonArray(List.copyOf(fields)));
    }
}
