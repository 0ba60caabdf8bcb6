package io.wagateway.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real S3-compatible server on loopback for the S3 media store: s3rver (npm, pinned) installed into
 * target/s3rver by npm on first use and started with node; it checks SigV4 signatures with its fixed credentials
 * (S3RVER / S3RVER). Stopped with the test application.
 */
public class S3rverResource implements QuarkusTestResourceLifecycleManager {

    public static final String VERSION = "3.7.1";
    public static final String BUCKET = "gateway-media";
    public static final String KEY = "S3RVER";
    private static final String PORT_PROPERTY = "wagateway.test.s3-port";

    private Process server;

    @Override
    public Map<String, String> start() {
        try {
            Path home = Path.of("target", "s3rver").toAbsolutePath();
            Path bin = home.resolve("node_modules/s3rver/bin/s3rver.js");
            if (!Files.exists(bin)) {
                Files.createDirectories(home);
                run(home, List.of("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", home.toString(),
                        "s3rver@" + VERSION));
            }
            Path data = Files.createTempDirectory(home, "data-");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            server = new ProcessBuilder("node", bin.toString(), "-d", data.toString(), "-a", "127.0.0.1", "-p",
                    String.valueOf(port), "--configure-bucket", BUCKET, "--no-vhost-buckets", "-s")
                    .redirectErrorStream(true).redirectOutput(home.resolve("s3rver.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!listening(port)) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3rver did not start; see " + home.resolve("s3rver.log"));
                }
                Thread.sleep(100);
            }
            System.setProperty(PORT_PROPERTY, String.valueOf(port));
            return Map.of("gateway.media.store", "s3", "gateway.media.s3.endpoint", "http://127.0.0.1:" + port,
                    "gateway.media.s3.bucket", BUCKET, "gateway.media.s3.access-key", KEY,
                    "gateway.media.s3.secret-key", KEY, "gateway.media.s3.region", "us-east-1",
                    "gateway.media.s3.path-style", "true");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start s3rver (needs node and npm)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int port() {
        return Integer.parseInt(System.getProperty(PORT_PROPERTY));
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
        File log = dir.resolve("npm.log").toFile();
        Process npm = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install s3rver failed; see " + log);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
            try {
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.destroyForcibly();
            }
        }
    }
}
