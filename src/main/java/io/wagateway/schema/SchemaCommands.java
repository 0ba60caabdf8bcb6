package io.wagateway.schema;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.inject.Instance;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The packaged application's entry point. gateway.db.command=serve (default) runs the service; migrate, info and
 * rollback run once against the configured database and exit (0 on success, 1 on failure): a Kubernetes Job, a CI
 * step, an operator's shell. Blocking JDBC is right here: these run on the main thread, not on an event loop.
 */
@QuarkusMain
public class SchemaCommands implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(SchemaCommands.class);

    private final SchemaConfig config;
    private final Instance<Flyway> flyway;
    private final Instance<AgroalDataSource> dataSource;

    public SchemaCommands(SchemaConfig config, Instance<Flyway> flyway, Instance<AgroalDataSource> dataSource) {
        this.config = config;
        this.flyway = flyway;
        this.dataSource = dataSource;
    }

    @Override
    public int run(String... args) {
        String command = config.command();
        try {
            switch (command) {
                case "serve" -> {
                    Quarkus.waitForExit();
                    return 0;
                }
                case "migrate" -> migrate();
                case "info" -> info();
                case "rollback" -> rollback();
                default -> throw new IllegalArgumentException(
                        "gateway.db.command must be serve, migrate, info or rollback, not " + command);
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | SQLException | org.flywaydb.core.api.FlywayException e) {
            LOG.errorf("gateway.db.command=%s failed: %s", command, e.getMessage());
            LOG.debug("The database command failed", e);
            return 1;
        }
    }

    private void migrate() {
        // Flyway already migrated at start (gateway.db.migrates.migrate); a second call finds nothing left to do unless
        // that key was switched off.
        flyway.get().migrate();
        LOG.infof("migrate: schema %s at version %s", config.schema(), current());
    }

    private void info() {
        StringBuilder out = new StringBuilder("Migrations of schema ").append(config.schema()).append(":\n");
        out.append(String.format("%-8s %-40s %-10s %s%n", "version", "description", "state", "installed on"));
        for (MigrationInfo m : flyway.get().info().all()) {
            out.append(String.format("%-8s %-40s %-10s %s%n", m.getVersion() == null ? "" : m.getVersion().getVersion(),
                    m.getDescription(), m.getState().getDisplayName(),
                    m.getInstalledOn() == null ? "" : m.getInstalledOn().toInstant()));
        }
        out.append("current version: ").append(current());
        System.out.println(out);
    }

    private void rollback() throws SQLException {
        int target = config.rollbackTo()
                .orElseThrow(() -> new IllegalArgumentException("gateway.db.rollback-to is required (0 = the whole module)"));
        try (Connection connection = dataSource.get().getConnection()) {
            Rollback.Outcome outcome = Rollback.to(connection, config.schema(), target);
            // Kept in the audit log too when the target keeps it (see Rollback); this line is the record otherwise.
            LOG.infof("rollback: schema %s from version %d to %d, ran %s", config.schema(), outcome.from(), outcome.to(),
                    outcome.scripts());
        }
    }

    private String current() {
        MigrationInfo current = flyway.get().info().current();
        return current == null || current.getVersion() == null ? "0" : current.getVersion().getVersion();
    }
}
