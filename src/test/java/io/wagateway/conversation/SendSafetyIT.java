package io.wagateway.conversation;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same checks against the packaged application (prod profile: JSON logs). */
@QuarkusIntegrationTest
class SendSafetyIT extends SendSafetyTest {
}
