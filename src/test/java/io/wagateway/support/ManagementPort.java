package io.wagateway.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * The management interface (health, metrics) of every @QuarkusTest and @QuarkusIntegrationTest application
 * listens on a free port chosen here, so that parallel runs never collide on Quarkus' fixed default. Both keys
 * are set: the packaged jar runs in prod mode and reads {@code quarkus.management.port}.
 */
@WithTestResource(value = ManagementPort.class, scope = TestResourceScope.GLOBAL)
public class ManagementPort implements QuarkusTestResourceLifecycleManager {

    private static final String PORT_PROPERTY = "wagateway.test.management-port";

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for the management interface", e);
        }
        // A system property, not a static field: test classes may live in another class loader than this one.
        System.setProperty(PORT_PROPERTY, String.valueOf(port));
        return Map.of("quarkus.management.port", String.valueOf(port),
                "quarkus.management.test-port", String.valueOf(port));
    }

    @Override
    public void stop() {
        System.clearProperty(PORT_PROPERTY);
    }

    /** An absolute URL of {@code path} on the running application's management interface. */
    public static String url(String path) {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            throw new IllegalStateException("ManagementPort is not running");
        }
        return "http://127.0.0.1:" + port + path;
    }
}
