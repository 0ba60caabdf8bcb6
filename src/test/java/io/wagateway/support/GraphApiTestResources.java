package io.wagateway.support;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Every @QuarkusTest and @QuarkusIntegrationTest application sends to the WireMock Graph API. Global like
 * the database, so every test class sees the same configuration and Quarkus starts once.
 */
@WithTestResource(value = GraphApiMock.class, scope = TestResourceScope.GLOBAL)
public final class GraphApiTestResources {

    private GraphApiTestResources() {
    }
}
