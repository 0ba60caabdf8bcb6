package io.wagateway.conversation;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same black-box tests against the packaged application. */
@QuarkusIntegrationTest
class MessageResourceIT extends MessageResourceTest {
}
