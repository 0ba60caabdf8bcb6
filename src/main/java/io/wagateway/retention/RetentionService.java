package io.wagateway.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.InvalidInputException;
import io.wagateway.common.NotFoundException;
import io.wagateway.common.SqlFiles;
import io.wagateway.retention.dto.RetentionOverride;

/** The per-number retention overrides; the one writer of {@code gateway_retention_overrides}. */
@ApplicationScoped
public class RetentionService {

    private final String put = SqlFiles.load("retention/override-put.sql");
    private final String delete = SqlFiles.load("retention/override-delete.sql");
    private final String list = SqlFiles.load("retention/override-list.sql");
    private final Pool pool;

    public RetentionService(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<RetentionOverride>> list() {
        return pool.preparedQuery(list).execute(Tuple.tuple().addValue(null)).map(RetentionService::overrides);
    }

    public Uni<RetentionOverride> get(String phoneNumberId) {
        return pool.preparedQuery(list).execute(Tuple.of(phoneNumberId)).map(RetentionService::overrides)
                .map(found -> {
                    if (found.isEmpty()) {
                        throw new NotFoundException("retention override", "phoneNumberId", phoneNumberId);
                    }
                    return found.get(0);
                });
    }

    public Uni<RetentionOverride> put(String phoneNumberId, String messages) {
        Duration retention = parse(messages);
        return pool.preparedQuery(put).execute(Tuple.of(phoneNumberId, retention.toSeconds()))
                .map(rows -> override(rows.iterator().next()));
    }

    public Uni<Void> delete(String phoneNumberId) {
        return pool.preparedQuery(delete).execute(Tuple.of(phoneNumberId)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw new NotFoundException("retention override", "phoneNumberId", phoneNumberId);
            }
            return null;
        });
    }

    /** A positive whole number of seconds, written as in the configuration ({@code 90d}) or ISO-8601. */
    static Duration parse(String messages) {
        Duration parsed;
        try {
            parsed = DurationConverter.parseDuration(messages.trim());
        } catch (RuntimeException e) {
            throw new InvalidInputException("messages is not a duration (e.g. 90d, 12h, P90D)");
        }
        if (parsed == null || parsed.toSeconds() <= 0) {
            throw new InvalidInputException("messages must be at least one second");
        }
        return parsed;
    }

    private static List<RetentionOverride> overrides(RowSet<Row> rows) {
        List<RetentionOverride> found = new ArrayList<>();
        rows.forEach(row -> found.add(override(row)));
        return found;
    }

    private static RetentionOverride override(Row row) {
        return new RetentionOverride(row.getString("phone_number_id"),
                Duration.ofSeconds(row.getLong("messages_seconds")).toString(), row.getOffsetDateTime("updated_at"));
    }
}
