package io.wagateway.webhook;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box webhook tests against the packaged application (jar, or native binary with -Dnative). */
@QuarkusIntegrationTest
class WebhookResourceIT extends WebhookResourceTest {
}
