package io.wagateway.support;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The Graph API, stubbed by WireMock on a random local port (nothing leaves the machine). Tests drive it
 * through {@link #client()} (WireMock's HTTP admin API), so they work unchanged against the packaged jar.
 */
public class GraphApiMock implements QuarkusTestResourceLifecycleManager {

    /** Read timeout of the Graph API client in tests (production: 15 s). */
    public static final int READ_TIMEOUT_MS = 2000;

    private static final String PORT_PROPERTY = "wagateway.test.graph-api-port";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        // A system property, not a static field: test classes may live in another class loader than this one.
        System.setProperty(PORT_PROPERTY, String.valueOf(server.port()));
        // A short read timeout so the "Meta never answers" test is quick; stubs answer in milliseconds.
        return Map.of("gateway.graph.base-url", "http://127.0.0.1:" + server.port(),
                "quarkus.rest-client.graph-api.read-timeout", String.valueOf(READ_TIMEOUT_MS));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** A client of the running mock's admin API. */
    public static WireMock client() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            throw new IllegalStateException("GraphApiMock is not running (see GlobalTestResources)");
        }
        return new WireMock("127.0.0.1", Integer.parseInt(port));
    }

    /** A client of the mock with no stubs, no recorded requests and no scenario state left by other tests. */
    public static WireMock resetClient() {
        WireMock graph = client();
        graph.resetRequests();
        graph.resetMappings();
        graph.resetScenarios();
        return graph;
    }
}
