package io.wagateway.schema;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The module's schema and the database commands of the packaged application (docs/operations.md). */
@ConfigMapping(prefix = "gateway.db")
public interface SchemaConfig {

    /** The schema of the module's objects and of Flyway's history (default in application.properties). */
    String schema();

    /** serve (the service), or migrate, info, rollback: run once and exit. */
    @WithDefault("serve")
    String command();

    /** rollback: the version to go back to; 0 removes the whole module. Required for rollback. */
    Optional<Integer> rollbackTo();
}
