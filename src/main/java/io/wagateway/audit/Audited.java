package io.wagateway.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Marks an admin write: {@link AuditFilter} records each answer of the method (success or refusal) in the audit log
 * with this action and resource type. ArchitectureTest fails on a POST/PUT/PATCH/DELETE of an admin resource without
 * it, so no write can skip the audit. Also the binding of {@link AuditedBody} (its members bind nothing).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Audited {

    /** What was done, {@code <resource>.<verb>}: settings.update, session.delete, message.send, ... */
    @Nonbinding
    String action();

    /** The kind of row written: settings, session, message, subscription, customer, retention. */
    @Nonbinding
    String resource();

    /**
     * The path parameter naming the row; without one (a create), the id is the last segment of the answer's
     * Location header, else the {@code id} of the answer's body.
     */
    @Nonbinding
    String idParam() default "id";
}
