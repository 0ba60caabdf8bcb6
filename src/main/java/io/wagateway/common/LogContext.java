package io.wagateway.common;

import org.jboss.logging.MDC;

/** Puts a message's wamid into the log context (JSON logs: {@code mdc.wamid}) for the log lines about it. */
public final class LogContext {

    public static final String WAMID = "wamid";

    private LogContext() {
    }

    public static void withWamid(String wamid, Runnable log) {
        Object previous = MDC.get(WAMID);
        MDC.put(WAMID, wamid == null ? "" : wamid);
        try {
            log.run();
        } finally {
            if (previous == null) {
                MDC.remove(WAMID);
            } else {
                MDC.put(WAMID, previous);
            }
        }
    }
}
