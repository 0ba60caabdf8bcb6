package io.wagateway.conversation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.Cursor;
import io.wagateway.common.NotFoundException;
import io.wagateway.common.SqlFiles;

/**
 * Everything held about one customer as one JSON document (data portability): their profile, their sessions with
 * context data, every message of those sessions with metadata and status, and the statuses kept for messages not
 * stored yet. Streamed in chunks: messages are read a page at a time, when the client has taken the previous chunk,
 * so a customer with many messages never makes the service hold more than one page. Plain reads, one statement per
 * chunk (no transaction held open while a slow client reads): a message stored during the export may be left out.
 */
@ApplicationScoped
public class CustomerExport {

    /** Messages per statement (and chunk). */
    static final int PAGE = 200;
    /** Pending statuses in the document, at most (they live no longer than the pending-status retention). */
    static final int MAX_PENDING = 1000;

    private static final OffsetDateTime FIRST = Cursor.EARLIEST.atOffset(ZoneOffset.UTC);
    private static final UUID NIL = new UUID(0, 0);

    private final String profileSql = SqlFiles.load("conversation/customer-export-profile.sql");
    private final String sessionsSql = SqlFiles.load("conversation/customer-export-sessions.sql");
    private final String messagesSql = SqlFiles.load("conversation/customer-export-messages.sql");
    private final String pendingSql = SqlFiles.load("conversation/customer-export-pending.sql");

    private final Pool pool;

    public CustomerExport(Pool pool) {
        this.pool = pool;
    }

    /**
     * The document as chunks of JSON text to be written one after the other; fails with a NotFoundException before
     * the first chunk when there is no such customer.
     */
    public Multi<String> document(UUID id) {
        return Multi.createFrom().uni(pool.preparedQuery(profileSql).execute(Tuple.of(id)))
                .onItem().transformToMultiAndConcatenate(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Multi.createFrom().failure(new NotFoundException("Customer", id));
                    }
                    Row profile = rows.iterator().next();
                    String waId = profile.getString("wa_id");
                    String head = "{\"exportedAt\":\"" + Instant.now() + "\",\"customer\":" + profile.getString("json")
                            + ",\"sessions\":[";
                    return Multi.createFrom().uni(pool.preparedQuery(sessionsSql).execute(Tuple.of(id, waId)))
                            .onItem().transformToMultiAndConcatenate(sessions -> {
                                List<String> numbers = new ArrayList<>();
                                numbers.add(waId);
                                sessions.forEach(row -> numbers.add(row.getString("phone_number")));
                                return Multi.createBy().concatenating().streams(Multi.createFrom().item(head),
                                        sessions(sessions), Multi.createFrom().uni(pending(numbers)));
                            });
                });
    }

    /** Each session's JSON object with its messages, in order. */
    private Multi<String> sessions(RowSet<Row> rows) {
        List<Multi<String>> parts = new ArrayList<>();
        boolean first = true;
        for (Row row : rows) {
            String json = row.getString("json");
            // json_build_object's text ends with the object's closing brace: the messages array goes before it.
            String open = (first ? "" : ",") + json.substring(0, json.length() - 1) + ",\"messages\":[";
            parts.add(Multi.createBy().concatenating().streams(Multi.createFrom().item(open),
                    messages(row.getUUID("id"), FIRST, NIL, true), Multi.createFrom().item("]}")));
            first = false;
        }
        return parts.isEmpty() ? Multi.createFrom().empty() : Multi.createBy().concatenating().streams(parts);
    }

    /** The messages of a session after ({@code at}, {@code after}), one chunk per page, the next page on demand. */
    private Multi<String> messages(UUID session, OffsetDateTime at, UUID after, boolean first) {
        return Multi.createFrom().uni(pool.preparedQuery(messagesSql).execute(Tuple.of(session, at, after, PAGE)))
                .onItem().transformToMultiAndConcatenate(rows -> {
                    if (rows.size() == 0) {
                        return Multi.createFrom().empty();
                    }
                    StringBuilder chunk = new StringBuilder();
                    OffsetDateTime lastAt = null;
                    UUID lastId = null;
                    for (Row row : rows) {
                        if (chunk.length() > 0 || !first) {
                            chunk.append(',');
                        }
                        chunk.append(row.getString("json"));
                        lastAt = row.getOffsetDateTime("created_at");
                        lastId = row.getUUID("id");
                    }
                    Multi<String> page = Multi.createFrom().item(chunk.toString());
                    return rows.size() < PAGE ? page
                            : Multi.createBy().concatenating().streams(page, messages(session, lastAt, lastId, false));
                });
    }

    /** The end of the document: the statuses kept for messages to the customer's numbers. */
    private Uni<String> pending(List<String> numbers) {
        return pool.preparedQuery(pendingSql).execute(Tuple.of(numbers.toArray(String[]::new), MAX_PENDING))
                .map(rows -> "],\"pendingStatuses\":" + rows.iterator().next().getString("json") + "}");
    }
}
