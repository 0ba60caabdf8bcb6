package io.wagateway.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The module moving into a database that other applications already use. Flyway baselines a non-empty schema without
 * its history at version 0 (quarkus.flyway.baseline-on-migrate), so V1 still runs; this check first makes sure that
 * none of the module's names is taken there by an object the module did not create.
 */
final class ExistingDatabase {

    private ExistingDatabase() {
    }

    /** The module's names already taken in {@code schema}, when that schema holds no Flyway history yet. */
    static List<String> clashes(Connection connection, String schema) throws SQLException {
        if (historyExists(connection, schema)) {
            return List.of();
        }
        String sql = """
                select c.relname as name, 'relation' as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relname = any(?)
                union all
                select t.typname, 'type' from pg_type t join pg_namespace n on n.oid = t.typnamespace
                where n.nspname = ? and t.typrelid = 0 and t.typname = any(?)
                union all
                select p.proname, 'function' from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname = ? and p.proname = any(?)
                order by 1
                """;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            java.sql.Array names = connection.createArrayOf("text", ModuleObjects.NAMES.toArray());
            for (int i = 0; i < 3; i++) {
                ps.setString(2 * i + 1, schema);
                ps.setArray(2 * i + 2, names);
            }
            List<String> taken = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getString("kind") + " " + schema + "." + rs.getString("name"));
                }
            }
            return taken;
        }
    }

    /** The one line startup fails with when {@link #clashes} found any. */
    static String clashMessage(List<String> taken) {
        return "The database already holds " + String.join(", ", taken) + ", not created by this module's migrations: "
                + "rename or drop it, or give the module its own schema (gateway.db.schema, docs/operations.md).";
    }

    static boolean historyExists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                        + "where n.nspname = ? and c.relname = 'flyway_schema_history'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
