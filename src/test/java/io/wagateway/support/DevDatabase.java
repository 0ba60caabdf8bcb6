package io.wagateway.support;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Dev-mode database for a machine without PostgreSQL and without Docker: the tests' {@link EmbeddedPostgres},
 * kept in {@code target/dev-postgres} and listening where {@code ./mvnw quarkus:dev} looks
 * (127.0.0.1:5432, user postgres, database whatsapp_gateway). Test scope, so never in the jar or image.
 * Run it in a second terminal: {@code ./mvnw -q test-compile exec:java@dev-db}; Ctrl-C stops the server, the data stays for
 * next time ({@code ./mvnw clean} removes it).
 */
public final class DevDatabase {

    private DevDatabase() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        if (EmbeddedPostgres.reachable("127.0.0.1", port)) {
            System.err.println("dev-db: something already listens on 127.0.0.1:" + port
                    + "; quarkus:dev will use it (create the database once: createdb -h localhost -U postgres whatsapp_gateway)");
            return;
        }
        Path data = Paths.get(args.length > 0 ? args[0] : "target/dev-postgres");
        EmbeddedPostgres server = EmbeddedPostgres.start(port, data);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                server.user(), null); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'whatsapp_gateway'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE whatsapp_gateway");
                }
            }
        }
        System.err.println("dev-db: PostgreSQL for ./mvnw quarkus:dev ready at 127.0.0.1:" + port
                + "/whatsapp_gateway (user postgres, data " + data.toAbsolutePath() + "); Ctrl-C stops it");
        // Runs until Ctrl-C / SIGTERM; the shutdown hook then stops PostgreSQL.
        Thread.currentThread().join();
    }
}
