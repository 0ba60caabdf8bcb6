package io.wagateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class LogContextTest {

    @Test
    void wamidIsInTheContextOnlyWhileLoggingAndAnOuterOneIsRestored() {
        Object[] seen = new Object[2];
        LogContext.withWamid("wamid.A", () -> {
            seen[0] = MDC.get("wamid");
            LogContext.withWamid("wamid.B", () -> seen[1] = MDC.get("wamid"));
            assertThat(MDC.get("wamid")).isEqualTo("wamid.A");
        });
        assertThat(seen).containsExactly("wamid.A", "wamid.B");
        assertThat(MDC.get("wamid")).isNull();
    }
}
