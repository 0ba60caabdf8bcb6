package io.wagateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.LogCapture;

/** The console handler of the running application masks tokens (quarkus.log.console.filter is wired). */
@QuarkusTest
class SecretMaskingWiringTest {

    @Test
    void theConsoleMasksABearerTokenInAMessageAndInAnException() {
        String token = "EAAGwiringCheckToken0123456789";
        try (LogCapture log = LogCapture.start()) {
            Logger.getLogger(SecretMaskingWiringTest.class).errorf(
                    new IllegalArgumentException("a header value must not end with '\\n':Bearer " + token + "\n"),
                    "Graph call failed: Authorization=Bearer %s", token);
            assertThat(log.text()).contains("Graph call failed").contains("Bearer ***").doesNotContain(token);
        }
    }
}
