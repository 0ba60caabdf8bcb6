package io.wagateway.templates;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;
import io.wagateway.events.EventLog;
import io.wagateway.events.EventType;
import io.wagateway.templates.dto.PreferenceEvent;
import io.wagateway.templates.dto.TemplateResponse;

/**
 * The one writer of {@code whatsapp_templates} and {@code whatsapp_marketing_preferences} (Vert.x SQL client, SQL in
 * db/templates): the sync's upserts, the webhooks' monotonic updates (each with its event in the same transaction,
 * only when it changed the row), and the reads of the list and of a send's check.
 */
@ApplicationScoped
public class TemplateWrites {

    private final String syncUpsert = SqlFiles.load("templates/sync-upsert.sql");
    private final String statusUpdate = SqlFiles.load("templates/status-update.sql");
    private final String categoryUpdate = SqlFiles.load("templates/category-update.sql");
    private final String qualityUpdate = SqlFiles.load("templates/quality-update.sql");
    private final String componentsUpdate = SqlFiles.load("templates/components-update.sql");
    private final String preferenceUpdate = SqlFiles.load("templates/preference-update.sql");
    private final String page = SqlFiles.load("templates/page.sql");
    private final String sendCheck = SqlFiles.load("templates/send-check.sql");
    private final Pool pool;
    private final EventLog events;
    private final ObjectMapper mapper;

    /** A stored template. */
    record Stored(UUID id, String wabaId, String templateId, String name, String language, String category,
            String status, String quality, String components, String rejectionReason, Instant updatedAt) {
    }

    /** What a template send must know; each null when unknown. */
    record SendFacts(String status, String category, String preference) {
    }

    public TemplateWrites(Pool pool, EventLog events, ObjectMapper mapper) {
        this.pool = pool;
        this.events = events;
        this.mapper = mapper;
    }

    /** Stores one template of a Graph API listing taken at {@code at}. */
    Uni<Void> upsertSynced(String wabaId, JsonNode t, Instant at) {
        JsonNode components = t.get("components");
        String reason = text(t, "rejected_reason");
        Tuple params = Tuple.tuple().addString(wabaId).addString(text(t, "id")).addString(text(t, "name"))
                .addString(text(t, "language")).addString(text(t, "category")).addString(text(t, "status"))
                .addString(text(t.path("quality_score"), "score"))
                .addString(components == null || components.isNull() ? null : components.toString())
                .addString("NONE".equals(reason) ? null : reason).addValue(time(at));
        // a change the listing brings (or a template seen for the first time) is announced as a webhook change is
        return pool.withTransaction(tx -> tx.preparedQuery(syncUpsert).execute(params).chain(rows -> {
            Row row = rows.iterator().next();
            if (!row.getBoolean("changed")) {
                return Uni.createFrom().voidItem();
            }
            Stored stored = stored(row);
            return events.append(tx, EventType.TEMPLATE_UPDATED, stored.wabaId(), stored.id(), response(stored))
                    .replaceWithVoid();
        }));
    }

    /** Applies one webhook change; true when it changed the row (false: older, a redelivery, or not a template). */
    Uni<Boolean> apply(TemplateChange change) {
        JsonNode v = change.value();
        String templateId = text(v, "message_template_id");
        if (templateId == null || change.wabaId() == null) {
            return Uni.createFrom().item(false);
        }
        String name = text(v, "message_template_name");
        String language = text(v, "message_template_language");
        Tuple params = Tuple.tuple().addString(change.wabaId()).addString(templateId).addString(name)
                .addString(language);
        String sql;
        switch (change.field()) {
            case TemplateWebhooks.STATUS -> {
                String status = text(v, "event");
                if (status == null) {
                    return Uni.createFrom().item(false);
                }
                sql = statusUpdate;
                params.addString(status).addString(text(v, "reason")).addValue(time(change.at()))
                        .addString(text(v, "message_template_category"));
            }
            case TemplateWebhooks.CATEGORY -> {
                String category = text(v, "new_category");
                if (category == null) {
                    return Uni.createFrom().item(false);
                }
                sql = categoryUpdate;
                params.addString(category).addValue(time(change.at()));
            }
            case TemplateWebhooks.QUALITY -> {
                String quality = text(v, "new_quality_score");
                if (quality == null) {
                    return Uni.createFrom().item(false);
                }
                sql = qualityUpdate;
                params.addString(quality).addValue(time(change.at()));
            }
            case TemplateWebhooks.COMPONENTS -> {
                sql = componentsUpdate;
                params.addString(v.toString()).addValue(time(change.at()));
            }
            default -> {
                return Uni.createFrom().item(false);
            }
        }
        // Template events have no business number: their phone_number_id (the CloudEvent source) is the WABA id.
        return pool.withTransaction(tx -> tx.preparedQuery(sql).execute(params).chain(rows -> {
            if (rows.rowCount() == 0) {
                return Uni.createFrom().item(false);
            }
            Stored stored = stored(rows.iterator().next());
            return events.append(tx, EventType.TEMPLATE_UPDATED, stored.wabaId(), stored.id(), response(stored))
                    .replaceWith(true);
        }));
    }

    /**
     * Stores a customer's marketing preference at {@code at}; true when it changed the row. Its event goes to
     * {@code phoneNumberId} (the change's metadata), else to the WABA id.
     */
    Uni<Boolean> preference(String wabaId, String phoneNumberId, String waId, String preference, Instant at) {
        return pool.withTransaction(tx -> tx.preparedQuery(preferenceUpdate)
                .execute(Tuple.of(wabaId, waId, preference, time(at))).chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    String number = phoneNumberId == null || phoneNumberId.isBlank() ? wabaId : phoneNumberId;
                    return events.append(tx, EventType.CUSTOMER_UPDATED, number, null,
                            new PreferenceEvent(waId, wabaId, phoneNumberId, preference, at)).replaceWith(true);
                }));
    }

    /** The template as GET /api/v1/templates shows it. */
    TemplateResponse response(Stored s) {
        try {
            return new TemplateResponse(s.id(), s.wabaId(), s.templateId(), s.name(), s.language(), s.category(),
                    s.status(), s.quality(), s.components() == null ? null : mapper.readTree(s.components()),
                    s.rejectionReason(), s.updatedAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored components are not JSON", e);
        }
    }

    private static Stored stored(Row row) {
        return new Stored(row.getUUID("id"), row.getString("waba_id"), row.getString("template_id"),
                row.getString("name"), row.getString("language"), row.getString("category"), row.getString("status"),
                row.getString("quality"), row.getString("components"), row.getString("rejection_reason"),
                row.getOffsetDateTime("updated_at").toInstant());
    }

    /** Up to {@code size} templates matching the filters after the row {@code after} (null: from the start). */
    Uni<List<Stored>> page(String name, String status, String category, TemplateService.Key after, int size) {
        Tuple params = Tuple.tuple().addString(name).addString(status).addString(category)
                .addString(after == null ? null : after.name()).addString(after == null ? null : after.language())
                .addUUID(after == null ? null : after.id()).addInteger(size);
        return pool.preparedQuery(page).execute(params).map(rows -> {
            List<Stored> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(stored(row));
            }
            return out;
        });
    }

    /** The template's status and category in {@code wabaId}, and {@code waId}'s marketing preference there. */
    Uni<SendFacts> sendFacts(String wabaId, String name, String language, String waId) {
        return pool.preparedQuery(sendCheck).execute(Tuple.of(wabaId, name, language, waId)).map(rows -> {
            Row row = rows.iterator().next();
            return new SendFacts(row.getString("status"), row.getString("category"), row.getString("preference"));
        });
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
