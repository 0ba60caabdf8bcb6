package io.wagateway.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * A throwaway database created for one test run on a real PostgreSQL server. Server coordinates come from
 * the standard libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD (defaults 127.0.0.1, 5432, postgres).
 * When nothing listens there, the JVM's shared {@link EmbeddedPostgres#shared() embedded server} is used instead.
 */
public final class TestDatabase {

    private static volatile TestDatabase current;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String name;

    private TestDatabase(String host, int port, String user, String password, String name) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.name = name;
    }

    /** The database of the running test application (for tests that inspect rows). */
    public static TestDatabase current() {
        if (current == null) {
            throw new IllegalStateException("No test database: is PostgresTestResource active?");
        }
        return current;
    }

    public static TestDatabase create() {
        TestDatabase db = createUnlisted();
        current = db;
        return db;
    }

    /** A throwaway database that is not the running application's ({@link #current()} stays as it is). */
    public static TestDatabase createUnlisted() {
        TestDatabase db = createUnlistedCoordinates(
                "wag_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
        String host = db.host;
        int port = db.port;
        String user = db.user;
        String name = db.name;
        try (Connection c = db.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a test database on PostgreSQL at " + host + ":" + port
                    + " as " + user + ". Start a server (see docs/development.md) or set PGHOST/PGPORT/PGUSER/PGPASSWORD.",
                    e);
        }
        return db;
    }

    /** The server's coordinates (the embedded server when none answers) for a database of this name. */
    private static TestDatabase createUnlistedCoordinates(String name) {
        String host = env("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(env("PGPORT", "5432"));
        String user = env("PGUSER", "postgres");
        String password = System.getenv("PGPASSWORD");
        if (!EmbeddedPostgres.reachable(host, port)) {
            EmbeddedPostgres server = EmbeddedPostgres.shared();
            System.err.println("No PostgreSQL at " + host + ":" + port + "; using the embedded one on port "
                    + server.port());
            host = server.host();
            port = server.port();
            user = server.user();
            password = null;
        }
        return new TestDatabase(host, port, user, password, name);
    }

    /** Drops a database {@link #createUnlisted()} made, known by its name only (e.g. across class loaders). */
    public static void dropNamed(String name) {
        if (!name.matches("wag_test_[0-9a-f]{16}")) {
            throw new IllegalArgumentException("Not a test database: " + name);
        }
        createUnlistedCoordinates(name).drop();
    }

    public void drop() {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }

    public Connection connect() throws SQLException {
        return connect(name);
    }

    private Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, props);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public String reactiveUrl() {
        return reactiveUrl(port);
    }

    /** The reactive URL through a local proxy port (see TcpProxy). */
    public String reactiveUrl(int viaPort) {
        String via = viaPort == port ? host : "127.0.0.1";
        return "postgresql://" + via + ":" + viaPort + "/" + name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String name() {
        return name;
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
