package io.wagateway.schema;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The module's schema and the database commands of the packaged application (docs/operations.md). */
@ConfigMapping(prefix = "gateway.db")
public interface SchemaConfig {

    /** The schema of the module's objects and of Flyway's history (default in application.properties). */
    String schema();

    /** serve (the service), or migrate, info, rollback: run once and exit (default in application.properties). */
    String command();

    /** rollback: the version to go back to; 0 removes the whole module. Required for rollback. */
    Optional<Integer> rollbackTo();

    /**
     * Per command: whether Flyway migrates at start (quarkus.flyway.migrate-at-start reads it). A command without an
     * entry does not migrate.
     */
    Map<String, Boolean> migrates();

    /** Per command: Hibernate's schema-management strategy (validate); a command without an entry: none. */
    Map<String, String> validates();
}
