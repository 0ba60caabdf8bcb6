package io.wagateway.templates;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The template webhook fields and {@code user_preferences}: routed by {@code entry[].id} (the WABA id; template
 * changes carry no phone_number_id), stamped with the entry's {@code time} (a preference with its own
 * {@code timestamp}), applied one after the other by {@link TemplateWrites}, each monotonic and idempotent.
 */
@ApplicationScoped
public class TemplateWebhooks {

    private static final Logger LOG = Logger.getLogger(TemplateWebhooks.class);

    static final String STATUS = "message_template_status_update";
    static final String CATEGORY = "template_category_update";
    static final String QUALITY = "message_template_quality_update";
    static final String COMPONENTS = "message_template_components_update";
    static final String PREFERENCES = "user_preferences";
    /** The webhook fields handled here. */
    public static final Set<String> FIELDS = Set.of(STATUS, CATEGORY, QUALITY, COMPONENTS, PREFERENCES);

    private final TemplateWrites writes;
    private final ObjectMapper mapper;

    public TemplateWebhooks(TemplateWrites writes, ObjectMapper mapper) {
        this.writes = writes;
        this.mapper = mapper;
    }

    /** A marketing preference of one customer. */
    record Preference(String wabaId, String phoneNumberId, String waId, String preference, Instant at) {
    }

    /** The changes of the fields handled here in {@code root}. */
    static List<Object> changes(JsonNode root, Instant arrival) {
        List<Object> out = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            String wabaId = TemplateWrites.text(entry, "id");
            Instant entryTime = seconds(entry.path("time"), arrival);
            for (JsonNode change : entry.path("changes")) {
                String field = TemplateWrites.text(change, "field");
                JsonNode value = change.path("value");
                if (PREFERENCES.equals(field)) {
                    for (JsonNode item : value.path("user_preferences")) {
                        String preference = preference(item);
                        String waId = TemplateWrites.text(item, "wa_id");
                        if (preference != null && waId != null && !waId.isBlank()) {
                            out.add(new Preference(wabaId, TemplateWrites.text(value.path("metadata"),
                                    "phone_number_id"), waId, preference,
                                    seconds(item.path("timestamp"), entryTime)));
                        }
                    }
                } else if (field != null && FIELDS.contains(field) && value.isObject()) {
                    out.add(new TemplateChange(field, wabaId, entryTime, value));
                }
            }
        }
        return out;
    }

    /**
     * Applies the handled fields of a verified delivery whose fields {@code fields} include one of them;
     * {@code owns} tells whether the delivery's signer may change the business account of an entry id.
     * How many changes were applied; fails when the database does (the delivery is then answered for a retry).
     */
    public Uni<Integer> apply(byte[] body, List<String> fields, Predicate<String> owns, Instant arrival) {
        if (fields.stream().noneMatch(FIELDS::contains)) {
            return Uni.createFrom().item(0);
        }
        List<Object> changes;
        try {
            changes = changes(mapper.readTree(body), arrival);
        } catch (IOException e) {
            return Uni.createFrom().item(0);
        }
        List<Object> owned = new ArrayList<>();
        for (Object change : changes) {
            String waba = change instanceof TemplateChange t ? t.wabaId() : ((Preference) change).wabaId();
            if (waba != null && owns.test(waba)) {
                owned.add(change);
            } else {
                LOG.debugf("Acknowledged a template or preference change for business account %s without storing "
                        + "it: the delivery's signer does not sign for it", waba);
            }
        }
        if (owned.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(owned).onItem().transformToUniAndConcatenate(this::applyOne)
                .collect().asList().map(applied -> (int) applied.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> applyOne(Object change) {
        if (change instanceof TemplateChange t) {
            return writes.apply(t);
        }
        Preference p = (Preference) change;
        return writes.preference(p.wabaId(), p.phoneNumberId(), p.waId(), p.preference(), p.at());
    }

    /** {@code stopped} / {@code resumed} of a marketing_messages item, null for anything else. */
    static String preference(JsonNode item) {
        String category = TemplateWrites.text(item, "category");
        String value = TemplateWrites.text(item, "value");
        if (category != null && !"marketing_messages".equals(category) || value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "stop", "stopped" -> TemplateGate.STOPPED;
            case "resume", "resumed" -> "resumed";
            default -> null;
        };
    }

    /** Unix seconds (number or string) as an instant; {@code fallback} when missing or implausible. */
    static Instant seconds(JsonNode node, Instant fallback) {
        long value;
        if (node.isIntegralNumber()) {
            value = node.asLong();
        } else if (node.isTextual()) {
            try {
                value = Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        } else {
            return fallback;
        }
        Instant at = Instant.ofEpochSecond(Math.max(0, Math.min(value, Instant.MAX.getEpochSecond() / 2)));
        return at.isBefore(Instant.parse("2009-01-01T00:00:00Z")) || at.isAfter(fallback.plusSeconds(86_400))
                ? fallback
                : at;
    }
}
