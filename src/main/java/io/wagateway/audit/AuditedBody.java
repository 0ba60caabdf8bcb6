package io.wagateway.audit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.arc.ArcInvocationContext;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Notes, for {@link AuditFilter}, that the call is audited (its {@link Audited} binding) and which fields its body
 * gave (names only, never values: they may be secrets). A request record's fields are those not null; a JSON body's are its
 * top-level keys.
 */
@Audited(action = "", resource = "")
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER)
public class AuditedBody {

    static final String FIELDS = AuditedBody.class.getName() + ".fields";
    /** The call's {@link Audited} binding, for {@link AuditFilter}. */
    static final String AUDITED = AuditedBody.class.getName() + ".audited";
    /** A JSON body's keys are the caller's: at most this many, each at most {@link #MAX_NAME} characters. */
    static final int MAX_FIELDS = 32;
    static final int MAX_NAME = 64;

    private final CurrentVertxRequest request;

    public AuditedBody(CurrentVertxRequest request) {
        this.request = request;
    }

    @AroundInvoke
    Object capture(InvocationContext invocation) throws Exception {
        RoutingContext current = request.getCurrent();
        if (current != null) {
            // the binding as declared on the method, with its values (ArC builds it at build time)
            current.put(AUDITED, ArcInvocationContext.findIterceptorBinding(invocation, Audited.class));
            for (Object argument : invocation.getParameters()) {
                List<String> fields = fields(argument);
                if (fields != null) {
                    current.put(FIELDS, fields);
                }
            }
        }
        return invocation.proceed();
    }

    /** The names of the fields a body gave; null for an argument that is no body. */
    static List<String> fields(Object body) {
        List<String> names = new ArrayList<>();
        if (body instanceof Record record) {
            for (var component : record.getClass().getRecordComponents()) {
                try {
                    if (component.getAccessor().invoke(record) != null) {
                        names.add(component.getName());
                    }
                } catch (ReflectiveOperationException e) {
                    // a field that cannot be read is left out of the details
                }
            }
            return names;
        }
        if (body instanceof JsonNode json && json.isObject()) {
            for (Iterator<String> it = json.fieldNames(); it.hasNext() && names.size() < MAX_FIELDS;) {
                String name = it.next();
                names.add(name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name);
            }
            return names;
        }
        return null;
    }
}
