package io.wagateway.common;

import java.util.function.UnaryOperator;
import java.util.logging.Filter;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Framework ERRORs with a stack trace that are known to be harmless become one DEBUG line of category
 * {@code io.wagateway.common.LogDemotions}, so that nobody can flood the log with them and they do not hide real
 * errors; every other record of those categories stays as it is.
 * <ul>
 * <li>A malformed request (bad chunk size, oversized header, a client closing mid-request) is the client's fault
 * and costs nothing, but Quarkus' error handler logs each.</li>
 * <li>While the database is unreachable, every failed connection attempt of the reactive pool later makes its
 * acquisition-timeout timer complete a finished promise (a race in the Vert.x SQL client); Vert.x reports each as an
 * uncaught {@code IllegalStateException}. The caller already got the real failure.</li>
 * </ul>
 */
@ApplicationScoped
public class LogDemotions {

    static final String ERROR_HANDLER = "io.quarkus.vertx.http.runtime.QuarkusErrorHandler";
    static final String VERTX_UNCAUGHT = "io.quarkus.vertx.core.runtime.VertxCoreRecorder";
    static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
    private static final Logger LOG = Logger.getLogger(LogDemotions.class);

    void install(@Observes StartupEvent event) {
        demote(ERROR_HANDLER, LogDemotions::malformed, "Malformed HTTP request refused");
        demote(VERTX_UNCAUGHT, LogDemotions::poolTimerRace, "Pool acquisition timer fired after its failure");
        java.util.logging.Logger meters = java.util.logging.Logger.getLogger(METER_REGISTRY);
        Filter previous = meters.getFilter();
        meters.setFilter(record -> !perServerGauge(record.getMessage())
                && (previous == null || previous.isLoggable(record)));
    }

    /**
     * Quarkus registers its connection-limit gauges once per HTTP server verticle (one per event loop), all on one
     * shared count, and Micrometer warns about every registration after the first; any other gauge still warns.
     */
    static boolean perServerGauge(String message) {
        return message != null
                && message.startsWith("This Gauge has been already registered (MeterId{name='vertx.http.connections.");
    }

    private static void demote(String category, UnaryOperator<Throwable> harmless, String what) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
        Filter previous = logger.getFilter();
        logger.setFilter(record -> {
            Throwable known = harmless.apply(record.getThrown());
            if (known != null) {
                LOG.debugf("%s: %s: %s", what, known.getClass().getName(), known.getMessage());
                return false;
            }
            return previous == null || previous.isLoggable(record);
        });
    }

    /** The transport-level cause of a failure, or null when it is something else (then it stays an ERROR). */
    static Throwable malformed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            if (type.startsWith("io.netty.handler.codec.") || type.equals("io.vertx.core.http.HttpClosedException")) {
                return t;
            }
            StackTraceElement[] stack = t.getStackTrace();
            if (stack.length > 0 && stack[0].getClassName().startsWith("io.netty.handler.codec.http.")) {
                return t; // e.g. NumberFormatException "Invalid character in chunk size"
            }
        }
        return null;
    }

    /** The pool timer's second completion of a promise, or null when the failure is anything else. */
    static Throwable poolTimerRace(Throwable failure) {
        if (!(failure instanceof IllegalStateException) || failure.getMessage() == null
                || !failure.getMessage().contains("already complete")) {
            return null;
        }
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("io.vertx.sqlclient.impl.pool.")) {
                return failure;
            }
        }
        return null;
    }
}
