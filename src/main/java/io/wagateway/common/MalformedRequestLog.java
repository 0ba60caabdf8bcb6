package io.wagateway.common;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Filter;
import org.jboss.logging.Logger;

/**
 * A malformed request (bad chunk size, oversized header, a client closing mid-request) is the client's fault and
 * costs nothing, but Quarkus' error handler logs each at ERROR with a stack trace: a log flood anyone can cause.
 * Those records become one DEBUG line of category {@code io.wagateway.common.MalformedRequestLog}; every other
 * failure the handler logs stays an ERROR.
 */
@ApplicationScoped
public class MalformedRequestLog {

    static final String ERROR_HANDLER = "io.quarkus.vertx.http.runtime.QuarkusErrorHandler";
    private static final Logger LOG = Logger.getLogger(MalformedRequestLog.class);

    void install(@Observes StartupEvent event) {
        java.util.logging.Logger handler = java.util.logging.Logger.getLogger(ERROR_HANDLER);
        Filter previous = handler.getFilter();
        handler.setFilter(record -> {
            Throwable malformed = malformed(record.getThrown());
            if (malformed != null) {
                LOG.debugf("Malformed HTTP request refused: %s: %s", malformed.getClass().getName(),
                        malformed.getMessage());
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
}
