package io.wagateway.webhook;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;

/**
 * The one writer of {@code whatsapp_webhook_events} (V16): the webhook changes the gateway stores nowhere else,
 * raw, idempotent by their dedupe key; their pages and their retention.
 */
@ApplicationScoped
public class RawWebhookEvents {

    /** Why a change is kept raw. */
    public static final String UNHANDLED = "unhandled";
    public static final String UNROUTED = "unrouted";

    private final String insert = SqlFiles.load("webhook/raw-event.sql");
    private final String page = SqlFiles.load("webhook/raw-events-page.sql");
    private final String purge = SqlFiles.load("webhook/purge-raw-events.sql");
    private final Pool pool;

    /** One change to keep. */
    record Raw(String field, String entryId, Instant entryTime, String reason, String payloadJson,
            String dedupeKey) {
    }

    /** A kept change. */
    record Stored(long id, String field, String entryId, Instant entryTime, String reason, String payloadJson,
            Instant receivedAt) {
    }

    public RawWebhookEvents(Pool pool) {
        this.pool = pool;
    }

    /** Keeps {@code raw} unless kept before; true when new. Fails when the database does. */
    Uni<Boolean> keep(Raw raw) {
        return pool.preparedQuery(insert).execute(Tuple.tuple().addString(raw.field()).addString(raw.entryId())
                .addValue(raw.entryTime() == null ? null : raw.entryTime().atOffset(ZoneOffset.UTC))
                .addString(raw.reason()).addString(raw.payloadJson()).addString(raw.dedupeKey()))
                .map(rows -> rows.iterator().hasNext());
    }

    /** Up to {@code size} changes of {@code field} (null: any) with ids below {@code before} (null: newest). */
    Uni<List<Stored>> page(String field, Long before, int size) {
        return pool.preparedQuery(page).execute(Tuple.of(field, before, size)).map(rows -> {
            List<Stored> out = new ArrayList<>();
            for (Row row : rows) {
                OffsetDateTime entryTime = row.getOffsetDateTime("entry_time");
                out.add(new Stored(row.getLong("id"), row.getString("field"), row.getString("entry_id"),
                        entryTime == null ? null : entryTime.toInstant(), row.getString("reason"),
                        row.getString("payload"), row.getOffsetDateTime("received_at").toInstant()));
            }
            return out;
        });
    }

    /** Drops up to {@code limit} changes received before {@code cutoff}, oldest first; how many. */
    public Uni<Integer> purge(SqlClient client, OffsetDateTime cutoff, int limit) {
        return client.preparedQuery(purge).execute(Tuple.of(cutoff, limit)).map(rows -> rows.rowCount());
    }
}
