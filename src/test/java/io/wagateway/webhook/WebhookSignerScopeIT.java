package io.wagateway.webhook;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box tests against the packaged application. */
@QuarkusIntegrationTest
class WebhookSignerScopeIT extends WebhookSignerScopeTest {
}
