package io.wagateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;

/**
 * The one writer of {@code gateway_audit_log}: appends the record of an admin write (from {@link AuditFilter}, or a
 * database command's over JDBC), reads pages of it, and drops rows past their retention.
 */
@ApplicationScoped
public class AuditLog {

    /** Actor of the database commands (gateway.db.command), which run without an admin key. */
    public static final String CLI = "cli";

    private static final String CLI_INSERT = SqlFiles.load("audit/cli-insert.sql");

    private final String insert = SqlFiles.load("audit/insert.sql");
    private final String page = SqlFiles.load("audit/page.sql");
    private final String purge = SqlFiles.load("audit/purge.sql");
    private final Pool pool;

    /** One admin write: who (never the key), what, which row, the request and its outcome. */
    public record Entry(String actor, String keyFingerprint, String action, String resourceType, String resourceId,
            String method, String path, Integer status, String requestId, JsonObject details) {
    }

    /** A stored entry. */
    public record Stored(long id, Instant occurredAt, Entry entry) {
    }

    /** The filters of a page; null fields match everything. */
    public record Filter(String actor, String action, String resourceType, String resourceId, Instant since,
            Instant until) {
    }

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    /** Appends one entry, in a statement of its own (not in the transaction of the write it records). */
    public Uni<Void> record(Entry e) {
        Tuple params = Tuple.tuple().addString(e.actor()).addString(e.keyFingerprint()).addString(e.action())
                .addString(e.resourceType()).addString(e.resourceId()).addString(e.method()).addString(e.path())
                .addInteger(e.status()).addString(e.requestId())
                .addValue(e.details());
        return pool.preparedQuery(insert).execute(params).replaceWithVoid();
    }

    /** Up to {@code size} entries matching {@code filter} with an id below {@code before} (null: any), newest first. */
    Uni<List<Stored>> page(Filter filter, Long before, int size) {
        Tuple params = Tuple.tuple().addString(filter.actor()).addString(filter.action())
                .addString(filter.resourceType()).addString(filter.resourceId()).addValue(at(filter.since()))
                .addValue(at(filter.until())).addLong(before).addInteger(size);
        return pool.preparedQuery(page).execute(params).map(rows -> {
            List<Stored> out = new ArrayList<>();
            for (Row row : rows) {
                String details = row.getString("details");
                out.add(new Stored(row.getLong("id"), row.getOffsetDateTime("occurred_at").toInstant(),
                        new Entry(row.getString("actor"), row.getString("key_fingerprint"), row.getString("action"),
                                row.getString("resource_type"), row.getString("resource_id"),
                                row.getString("http_method"), row.getString("path"), row.getInteger("status"),
                                row.getString("request_id"), details == null ? null : new JsonObject(details))));
            }
            return out;
        });
    }

    /** Drops up to {@code size} entries older than {@code before}; how many. */
    Uni<Long> purge(Instant before, int size) {
        return pool.preparedQuery(purge).execute(Tuple.of(at(before), size)).map(rows -> (long) rows.rowCount());
    }

    /**
     * Records an action of a database command in the caller's JDBC transaction (so it is kept only if the command
     * commits). Blocking: for the commands on the main thread only.
     */
    public static void recordCommand(Connection connection, String action, String resourceType, String resourceId,
            JsonObject details) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(CLI_INSERT)) {
            st.setString(1, CLI);
            st.setString(2, action);
            st.setString(3, resourceType);
            st.setString(4, resourceId);
            st.setString(5, details == null ? null : details.encode());
            st.executeUpdate();
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
