package io.wagateway.events;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;

/**
 * The event log ({@code gateway_events}): the writers of the changes append to it inside their own transaction,
 * and the feed reads it by id. Numbering and retention are {@link Deliveries}'.
 */
@ApplicationScoped
public class EventLog {

    private final String append = SqlFiles.load("events/append.sql");
    private final String page = SqlFiles.load("events/events-page.sql");
    private final Pool pool;
    private final ObjectMapper mapper;

    public EventLog(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /**
     * Appends an event inside the caller's transaction {@code tx}, so that it commits (or rolls back) with the
     * change it describes. {@code data} is serialised as JSON (the row as the admin API shows it). Events of one
     * session must be appended while holding that session's row lock, as the conversation writer does: their
     * order in the feed is the order of their inserts.
     */
    public Uni<Void> append(SqlClient tx, String type, String phoneNumberId, UUID subject, Object data) {
        String json;
        try {
            json = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("event data is not serialisable", e));
        }
        return tx.preparedQuery(append).execute(Tuple.of(type, phoneNumberId, subject, json)).replaceWithVoid();
    }

    /** Numbered events after {@code after}, oldest first; {@code types} null or empty: every type. */
    public Uni<List<CloudEvent>> after(long after, List<String> types, String phoneNumberId, int limit) {
        String[] typeArray = types == null || types.isEmpty() ? null : types.toArray(String[]::new);
        return pool.preparedQuery(page)
                .execute(Tuple.of(after, typeArray, phoneNumberId, limit))
                .map(rows -> {
                    List<CloudEvent> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(toCloudEvent(row, "id"));
                    }
                    return out;
                });
    }

    /**
     * The CloudEvent of a row with the event's columns ({@code idColumn}, type, phone_number_id, ...). The data is
     * PostgreSQL's text of the stored jsonb (valid JSON on one line), written out as it is: no parse and no second
     * serialisation per event sent or streamed.
     */
    CloudEvent toCloudEvent(Row row, String idColumn) {
        OffsetDateTime time = row.getOffsetDateTime("occurred_at");
        return CloudEvent.of(row.getLong(idColumn), row.getString("type"), row.getString("phone_number_id"),
                row.getUUID("subject"), time.toInstant(),
                JsonNodeFactory.instance.rawValueNode(new RawValue(row.getString("data"))));
    }
}
