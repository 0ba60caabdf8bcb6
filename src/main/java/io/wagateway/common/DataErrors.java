package io.wagateway.common;

import io.vertx.pgclient.PgException;

/**
 * The one rule for database failures a retry cannot fix: a data error PostgreSQL reports (SQLSTATE class 22, data
 * exception, or 54000, program limit exceeded, such as an index row too large) refuses the same row every time.
 * Every other failure (connection lost, 08, 40001/40P01, 53, 57) is an outage that a retry may get past.
 */
public final class DataErrors {

    private DataErrors() {
    }

    /** True for a SQLSTATE of a data error. */
    public static boolean isDataError(String sqlState) {
        return sqlState != null && (sqlState.startsWith("22") || "54000".equals(sqlState));
    }

    /** The SQLSTATE of the first PostgreSQL failure in {@code failure}'s causes (the ORM wraps them), or null. */
    public static String sqlState(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof PgException pg) {
                return pg.getSqlState();
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
