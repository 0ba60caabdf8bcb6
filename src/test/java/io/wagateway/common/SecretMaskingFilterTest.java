package io.wagateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.JsonFormatter;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

/** Bearer tokens and access_token parameters never reach a log line, plain or JSON, message or stack trace. */
class SecretMaskingFilterTest {

    static final String TOKEN = "EAAGm0PX4ZCpsBAKZCz7secret-token-x9Qz";

    static ExtLogRecord record(String format, Object[] params, Throwable thrown) {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, format, ExtLogRecord.FormatStyle.PRINTF,
                SecretMaskingFilterTest.class.getName());
        record.setParameters(params);
        record.setThrown(thrown);
        return record;
    }

    static String logged(ExtLogRecord record, ExtFormatter formatter) {
        assertThat(new SecretMaskingFilter().isLoggable(record)).isTrue();
        return formatter.format(record);
    }

    @Test
    void bearerTokensInMessagesParametersAndExceptionsAreMasked() {
        IllegalArgumentException vertx = new IllegalArgumentException(
                "a header value must not end with '\\r' or '\\n':Bearer " + TOKEN + "\n");
        RuntimeException wrapped = new RuntimeException("java.lang.IllegalArgumentException: " + vertx.getMessage(), vertx);
        for (ExtFormatter formatter : new ExtFormatter[] { new PatternFormatter("%p %s%e%n"), new JsonFormatter() }) {
            String text = logged(record("send failed: %s", new Object[] { vertx.toString() }, wrapped), formatter);
            assertThat(text).doesNotContain(TOKEN).contains("Bearer ***").contains("send failed")
                    .contains("IllegalArgumentException");
            assertThat(logged(record("GET /x?access_token=%s&fields=id", new Object[] { TOKEN }, null), formatter))
                    .doesNotContain(TOKEN).contains("access_token=***").contains("fields=id");
            assertThat(logged(record("authorization: bearer %s", new Object[] { TOKEN }, null), formatter))
                    .doesNotContain(TOKEN);
        }
    }

    @Test
    void linesWithoutSecretsAreUnchanged() {
        ExtLogRecord record = record("Sent %s message wamid=%s", new Object[] { "text", "wamid.X" }, null);
        IllegalStateException failure = new IllegalStateException("plain failure");
        record.setThrown(failure);
        assertThat(logged(record, new PatternFormatter("%s"))).isEqualTo("Sent text message wamid=wamid.X");
        assertThat(record.getThrown()).isSameAs(failure);
    }
}
