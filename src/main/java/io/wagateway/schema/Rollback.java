package io.wagateway.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;
import io.wagateway.audit.AuditLog;
import io.wagateway.common.SqlFiles;

/**
 * Undoes applied migrations, newest first, down to a target version: for each {@code V<n>__what.sql} recorded in
 * flyway_schema_history it runs {@code db/rollback/U<n>__what.sql} and deletes that history row, all in one
 * transaction (PostgreSQL's DDL is transactional: a failing down script leaves everything as it was). Target 0 also
 * drops the history table, so that the next start migrates from scratch. Flyway Community has no undo; this is it.
 * When the audit log survives (target {@value #AUDIT_LOG_VERSION} or later) the same transaction records the rollback
 * there (actor cli, action schema.rollback, details from and to); below that only the command's log line tells of it.
 */
final class Rollback {

    /** Where the down scripts live; the name of each is its migration's with U for V. */
    static final String LOCATION = "db/rollback/";

    /** The migration that creates gateway_audit_log. */
    static final int AUDIT_LOG_VERSION = 11;

    /** The applied migrations, shared with the readiness check. */
    static final String APPLIED = SqlFiles.load("schema/applied-migrations.sql");

    /** What a rollback did: the version before and after, and the scripts it ran in order. */
    record Outcome(int from, int to, List<String> scripts) {
    }

    private record Applied(int version, String script) {
    }

    private Rollback() {
    }

    static Outcome to(Connection connection, String schema, int target) throws SQLException {
        if (target < 0) {
            throw new IllegalArgumentException("gateway.db.rollback-to must be 0 or a migration version, not " + target);
        }
        if (!ExistingDatabase.historyExists(connection, schema)) {
            if (target == 0) {
                return new Outcome(0, 0, List.of());
            }
            throw new IllegalArgumentException("No migration of this module is applied in schema " + schema
                    + "; cannot roll back to version " + target);
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("SET LOCAL search_path TO " + quote(schema));
            // No migration (another replica starting) may run while the module's objects are dropped.
            st.execute("LOCK TABLE flyway_schema_history IN ACCESS EXCLUSIVE MODE");
            List<Applied> applied = applied(connection);
            int current = applied.isEmpty() ? 0 : applied.get(0).version();
            if (target > current) {
                throw new IllegalArgumentException("Cannot roll back to version " + target + ": the applied version is "
                        + current + " (a rollback only goes down)");
            }
            List<String> ran = new ArrayList<>();
            for (Applied migration : applied) {
                if (migration.version() <= target) {
                    break;
                }
                String script = downScript(migration.script());
                st.execute(SqlFiles.load(script.substring("db/".length())));
                try (PreparedStatement delete = connection
                        .prepareStatement("DELETE FROM flyway_schema_history WHERE version = ?")) {
                    delete.setString(1, Integer.toString(migration.version()));
                    delete.executeUpdate();
                }
                ran.add(script);
            }
            if (target == 0) {
                st.execute("DROP TABLE flyway_schema_history");
            }
            if (target >= AUDIT_LOG_VERSION) {
                AuditLog.recordCommand(connection, "schema.rollback", "schema", schema,
                        new JsonObject().put("from", current).put("to", target));
            }
            connection.commit();
            return new Outcome(current, target, ran);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The successfully applied versioned migrations, newest first (the baseline row is none). */
    private static List<Applied> applied(Connection connection) throws SQLException {
        List<Applied> applied = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(APPLIED)) {
            while (rs.next()) {
                applied.add(new Applied(Integer.parseInt(rs.getString("version")), rs.getString("script")));
            }
        }
        applied.sort((a, b) -> Integer.compare(b.version(), a.version()));
        return applied;
    }

    /** {@code V7__event_data.sql} -> {@code db/rollback/U7__event_data.sql}. */
    static String downScript(String migrationScript) {
        String name = migrationScript.substring(migrationScript.lastIndexOf('/') + 1);
        if (!name.startsWith("V")) {
            throw new IllegalStateException("Not a versioned migration: " + migrationScript);
        }
        return LOCATION + "U" + name.substring(1);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
