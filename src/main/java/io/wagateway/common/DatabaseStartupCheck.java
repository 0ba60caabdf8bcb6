package io.wagateway.common;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Before Flyway migrates at startup, one connection to the database: when no server answers, or the database
 * does not exist, startup fails with one line saying how to get one, instead of Flyway's long stack trace
 * (which stays at DEBUG). Any other failure (a wrong password, say) is left to Flyway to report.
 */
@Singleton
public class DatabaseStartupCheck implements FlywayConfigurationCustomizer {

    private static final Logger LOG = Logger.getLogger(DatabaseStartupCheck.class);

    private final Optional<String> jdbcUrl;

    public DatabaseStartupCheck(@ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        try (Connection ignored = configuration.getDataSource().getConnection()) {
            // reachable: Flyway goes on
        } catch (SQLException e) {
            String advice = advice(e.getSQLState(), jdbcUrl.orElse("(quarkus.datasource.jdbc.url unset)"));
            if (advice == null) {
                return;
            }
            LOG.debug("The database check before Flyway failed", e);
            throw new ConfigurationException(advice);
        }
    }

    /** {@code createdb} for the database of a {@code jdbc:postgresql://host:port/name} URL. */
    static String createdb(String url) {
        try {
            URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
            String name = uri.getPath() == null || uri.getPath().length() < 2 ? "whatsapp_gateway"
                    : uri.getPath().substring(1);
            return "createdb -h " + (uri.getHost() == null ? "localhost" : uri.getHost())
                    + (uri.getPort() > 0 ? " -p " + uri.getPort() : "") + " -U postgres " + name;
        } catch (IllegalArgumentException e) {
            return "createdb -h localhost -U postgres whatsapp_gateway";
        }
    }

    /** The one line for a failure a person fixes by starting or creating a database, else null. */
    static String advice(String sqlState, String url) {
        if (sqlState == null) {
            return null;
        }
        if (sqlState.startsWith("08")) {
            return "No PostgreSQL answers at " + url + ". Start one: `./mvnw -q test-compile exec:java@dev-db` in a "
                    + "second terminal (embedded PostgreSQL 15), or point PGHOST/PGPORT (dev mode) or "
                    + "QUARKUS_DATASOURCE_JDBC_URL and QUARKUS_DATASOURCE_REACTIVE_URL at your server (docs/development.md).";
        }
        if (sqlState.equals("3D000")) {
            return "The database of " + url + " does not exist. Create it once: `" + createdb(url) + "` (docs/development.md).";
        }
        return null;
    }
}
