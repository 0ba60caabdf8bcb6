package io.wagateway.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import jakarta.inject.Singleton;

import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Before Flyway's first migration into a schema that other applications already use: none of the module's names may
 * be taken there (see {@link ExistingDatabase}). An unreachable database is left to common/DatabaseStartupCheck.
 */
@Singleton
public class ExistingDatabaseCheck implements FlywayConfigurationCustomizer {

    private final SchemaConfig config;

    public ExistingDatabaseCheck(SchemaConfig config) {
        this.config = config;
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        List<String> taken;
        try (Connection connection = configuration.getDataSource().getConnection()) {
            taken = ExistingDatabase.clashes(connection, config.schema());
        } catch (SQLException e) {
            return;
        }
        if (!taken.isEmpty()) {
            throw new ConfigurationException(ExistingDatabase.clashMessage(taken));
        }
    }
}
