package io.wagateway.settings;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;
import io.wagateway.settings.dto.HistoryStatus;

/** Reads the history import's progress of a business number (whatsapp_history_chunks, written by the webhook). */
@ApplicationScoped
public class HistoryProgress {

    private final String phases = SqlFiles.load("settings/history-phases.sql");
    private final String declined = SqlFiles.load("settings/history-declined.sql");
    private final Pool pool;
    private final ObjectMapper mapper;

    public HistoryProgress(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** The status of {@code phoneNumberId}'s history import; null when no history webhook came for it. */
    public Uni<HistoryStatus> of(String phoneNumberId) {
        Tuple number = Tuple.of(phoneNumberId);
        return pool.preparedQuery(phases).execute(number).chain(rows -> {
            List<HistoryStatus.Phase> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new HistoryStatus.Phase(row.getInteger("phase"), row.getLong("chunks"),
                        row.getLong("chunks_imported"), row.getInteger("last_chunk_order"), row.getInteger("progress"),
                        value(row.getLong("messages")), value(row.getLong("messages_imported")),
                        value(row.getLong("messages_stored")), row.getOffsetDateTime("last_received_at").toInstant(),
                        row.getOffsetDateTime("last_imported_at") == null ? null
                                : row.getOffsetDateTime("last_imported_at").toInstant()));
            }
            return pool.preparedQuery(declined).execute(number).map(errors -> {
                HistoryStatus.Declined decline = errors.iterator().hasNext() ? decline(errors.iterator().next())
                        : null;
                return out.isEmpty() && decline == null ? null : new HistoryStatus(List.copyOf(out), decline);
            });
        });
    }

    private HistoryStatus.Declined decline(Row row) {
        JsonNode first;
        try {
            first = mapper.readTree(row.getString("errors")).path(0);
        } catch (java.io.IOException e) {
            first = mapper.createObjectNode();
        }
        return new HistoryStatus.Declined(first.path("code").isInt() ? first.get("code").intValue() : null,
                text(first, "title"), text(first, "message"), text(first.path("error_data"), "details"),
                row.getOffsetDateTime("received_at").toInstant());
    }

    private static long value(Long value) {
        return value == null ? 0 : value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }
}
