package io.wagateway.conversation;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same end-to-end flow against the packaged application. */
@QuarkusIntegrationTest
class ConversationFlowIT extends ConversationFlowTest {
}
