package io.wagateway.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.wagateway.support.TestDatabase;

/**
 * The packaged application's database commands, each a run of the application that exits, in a schema of their own
 * (so the other tests' schema stays as it is): migrate, info, rollback to 0, info. Each launch is a whole application
 * start, so the refusals are left to MigrationLifecycleTest (same code) and .ci/migration-lifecycle.sh (the jar).
 */
@QuarkusMainTest
@TestProfile(SchemaCommandsTest.CommandSchema.class)
class SchemaCommandsTest {

    static final String SCHEMA = "wag_commands";

    public static class CommandSchema implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.db.schema", SCHEMA);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OneDatabase.class));
        }
    }

    /**
     * Every launch is a new application start, which would otherwise get a new throwaway database: these launches
     * share one, created by the first (its name in a system property, which every class loader sees).
     */
    public static class OneDatabase implements QuarkusTestResourceLifecycleManager {
        static final String NAME = "wagateway.test.commands-database";

        @Override
        public Map<String, String> start() {
            if (System.getProperty(NAME) == null) {
                TestDatabase db = TestDatabase.createUnlisted();
                System.setProperty(NAME, db.name());
                System.setProperty(NAME + ".jdbc", db.jdbcUrl());
                System.setProperty(NAME + ".reactive", db.reactiveUrl());
            }
            return Map.of("quarkus.datasource.jdbc.url", System.getProperty(NAME + ".jdbc"),
                    "quarkus.datasource.reactive.url", System.getProperty(NAME + ".reactive"));
        }

        @Override
        public void stop() {
        }
    }

    @AfterAll
    static void dropDatabase() {
        String name = System.getProperty(OneDatabase.NAME);
        if (name != null) {
            TestDatabase.dropNamed(name);
        }
    }

    @AfterEach
    void clear() {
        System.clearProperty("gateway.db.command");
        System.clearProperty("gateway.db.rollback-to");
    }

    private static LaunchResult run(QuarkusMainLauncher launcher, String command, String rollbackTo) {
        System.setProperty("gateway.db.command", command);
        if (rollbackTo != null) {
            System.setProperty("gateway.db.rollback-to", rollbackTo);
        } else {
            System.clearProperty("gateway.db.rollback-to");
        }
        return launcher.launch();
    }

    /** The newest migration in db/migration: what migrate must reach. */
    private static String latest() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return Integer.toString(files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow());
        }
    }

    /** The audit rows of the commands' schema, one line each (actor|action|type|id|details|fingerprint). */
    private static List<String> auditRows() {
        Properties props = new Properties();
        props.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        if (System.getenv("PGPASSWORD") != null) {
            props.setProperty("password", System.getenv("PGPASSWORD"));
        }
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(System.getProperty(OneDatabase.NAME + ".jdbc"), props);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT actor, action, resource_type, resource_id, details::text, "
                        + "key_fingerprint FROM " + SCHEMA + ".gateway_audit_log ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                        + rs.getString(5) + "|" + rs.getString(6));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    @Test
    void migrateInfoRollbackInfo(QuarkusMainLauncher launcher) throws IOException {
        String version = latest();
        LaunchResult migrate = run(launcher, "migrate", null);
        assertThat(migrate.exitCode()).as(migrate.getOutput()).isZero();
        assertThat(migrate.getOutput()).contains("migrate: schema " + SCHEMA + " at version " + version);

        LaunchResult info = run(launcher, "info", null);
        assertThat(info.exitCode()).isZero();
        assertThat(info.getOutput()).contains("current version: " + version).contains("add whatsapp module");

        // A rollback that keeps the audit log (target >= 11) is recorded there, in its own transaction.
        LaunchResult kept = run(launcher, "rollback", version);
        assertThat(kept.exitCode()).as(kept.getOutput()).isZero();
        assertThat(auditRows()).containsExactly("cli|schema.rollback|schema|" + SCHEMA + "|{\"to\": " + version
                + ", \"from\": " + version + "}|null");

        LaunchResult rollback = run(launcher, "rollback", "0");
        assertThat(rollback.exitCode()).as(rollback.getOutput()).isZero();
        assertThat(rollback.getOutput()).contains("from version " + version + " to 0").contains("U1__add_whatsapp_module.sql");
        LaunchResult empty = run(launcher, "info", null);
        assertThat(empty.exitCode()).as("info on a schema without the module").isZero();
        assertThat(empty.getOutput()).contains("current version: 0").doesNotContain("Success");
    }
}
