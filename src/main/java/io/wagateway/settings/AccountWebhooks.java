package io.wagateway.settings;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The account webhook fields: {@code account_update}, {@code account_alerts}, {@code phone_number_quality_update}
 * and {@code phone_number_name_update}, parsed from Meta's shapes into {@link AccountChange}s. Lenient: a change
 * whose value is not an object is none of these (the caller keeps it raw); a missing part is null.
 */
public final class AccountWebhooks {

    public static final String ACCOUNT_UPDATE = "account_update";
    public static final String ACCOUNT_ALERTS = "account_alerts";
    public static final String QUALITY_UPDATE = "phone_number_quality_update";
    public static final String NAME_UPDATE = "phone_number_name_update";
    /** The webhook fields handled here. */
    public static final Set<String> FIELDS = Set.of(ACCOUNT_UPDATE, ACCOUNT_ALERTS, QUALITY_UPDATE, NAME_UPDATE);

    /**
     * The account_update events that say what state the account is in (the others, such as pricing or partner
     * notices, are stored as events without changing {@code accountStatus}).
     */
    static final Set<String> STATUS_EVENTS = Set.of("VERIFIED_ACCOUNT", "DISABLED_UPDATE", "ACCOUNT_RESTRICTION",
            "ACCOUNT_VIOLATION", "ACCOUNT_DELETED", "ACCOUNT_OFFBOARDED", "ACCOUNT_RECONNECTED", "PARTNER_REMOVED",
            "PARTNER_APP_UNINSTALLED", "REINSTATED", "ACCOUNT_REINSTATED");

    private AccountWebhooks() {
    }

    /**
     * The change of {@code field} with {@code value} under entry {@code wabaId} at {@code entryTime}; null when it is
     * not an account change this class can read. {@code dedupeKey}: see {@link AccountChange}.
     */
    public static AccountChange parse(String field, String wabaId, Instant entryTime, JsonNode value,
            String dedupeKey) {
        if (field == null || !FIELDS.contains(field) || value == null || !value.isObject()) {
            return null;
        }
        Instant at = entryTime;
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        String phoneNumberId = nonEmpty(text(value, "phone_number_id"));
        if (phoneNumberId == null) {
            phoneNumberId = nonEmpty(text(value.path("metadata"), "phone_number_id"));
        }
        String display = digits(text(value, "display_phone_number"));
        if (display == null) {
            display = digits(text(value.path("metadata"), "display_phone_number"));
        }
        String event = nonEmpty(text(value, "event"));
        String quality = null;
        String tier = null;
        String status = null;
        switch (field) {
            case ACCOUNT_UPDATE -> {
                JsonNode ban = value.path("ban_info");
                put(details, "banState", text(ban, "waba_ban_state"));
                put(details, "banDate", text(ban, "waba_ban_date"));
                put(details, "violationType", text(value.path("violation_info"), "violation_type"));
                if (value.path("restriction_info").isArray()) {
                    details.set("restrictions", value.get("restriction_info"));
                }
                put(details, "phoneNumber", text(value, "phone_number"));
                if (event != null && STATUS_EVENTS.contains(event.toUpperCase(Locale.ROOT))) {
                    String banState = nonEmpty(text(ban, "waba_ban_state"));
                    status = "DISABLED_UPDATE".equalsIgnoreCase(event) && banState != null ? banState : event;
                }
                // account_update is the business account's: it goes to every number of the WABA
                phoneNumberId = null;
                display = null;
            }
            case ACCOUNT_ALERTS -> {
                String entityType = nonEmpty(text(value, "entity_type"));
                String entityId = nonEmpty(text(value, "entity_id"));
                put(details, "entityType", entityType);
                put(details, "entityId", entityId);
                put(details, "alertSeverity", text(value, "alert_severity"));
                put(details, "alertStatus", text(value, "alert_status"));
                put(details, "alertType", text(value, "alert_type"));
                put(details, "alertDescription", text(value, "alert_description"));
                if (event == null) {
                    event = nonEmpty(text(value, "alert_type"));
                }
                if ("PHONE_NUMBER".equalsIgnoreCase(entityType) && entityId != null && phoneNumberId == null) {
                    phoneNumberId = entityId;
                }
            }
            case QUALITY_UPDATE -> {
                put(details, "displayPhoneNumber", display);
                put(details, "oldLimit", text(value, "old_limit"));
                put(details, "currentLimit", text(value, "current_limit"));
                put(details, "maxDailyConversationsPerBusiness", text(value, "max_daily_conversations_per_business"));
                put(details, "maxDailyConversationPerPhone", text(value, "max_daily_conversation_per_phone"));
                tier = firstText(value, "current_limit", "messaging_limit_tier", "max_daily_conversations_per_business",
                        "max_daily_conversation_per_phone");
                quality = firstText(value, "quality_rating", "current_quality_rating", "new_quality_rating");
                if (quality == null && event != null) {
                    // the webhook names no rating: FLAGGED is Meta's low (red) state, UNFLAGGED the way back out
                    quality = switch (event.toUpperCase(Locale.ROOT)) {
                        case "FLAGGED" -> "RED";
                        case "UNFLAGGED" -> "GREEN";
                        default -> null;
                    };
                }
                if (quality != null) {
                    quality = quality.toUpperCase(Locale.ROOT);
                }
            }
            case NAME_UPDATE -> {
                put(details, "displayPhoneNumber", display);
                put(details, "decision", text(value, "decision"));
                put(details, "requestedVerifiedName", text(value, "requested_verified_name"));
                put(details, "rejectionReason", text(value, "rejection_reason"));
                if (event == null) {
                    event = nonEmpty(text(value, "decision"));
                }
            }
            default -> {
                return null;
            }
        }
        JsonNode timestamp = value.path("timestamp");
        if (!timestamp.isMissingNode() && !timestamp.isNull()) {
            at = seconds(timestamp, entryTime);
        }
        return new AccountChange(field, wabaId, phoneNumberId, display, event, quality, tier, status, details, value,
                at, dedupeKey);
    }

    private static void put(ObjectNode node, String name, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(name, value);
        }
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = nonEmpty(text(node, field));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The digits of a display number ("+1 555-078-3881" and "15550783881" are one number); null for none. */
    public static String digits(String number) {
        if (number == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(number.length());
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '0' && c <= '9') {
                out.append(c);
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    /** Unix seconds (number or string) as an instant; {@code fallback} when missing or implausible. */
    public static Instant seconds(JsonNode node, Instant fallback) {
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
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
        if (value > 100_000_000_000L) {
            // milliseconds
            value /= 1000;
        }
        if (value < Instant.parse("2009-01-01T00:00:00Z").getEpochSecond()
                || value > fallback.plusSeconds(86_400).getEpochSecond()) {
            return fallback;
        }
        return Instant.ofEpochSecond(value);
    }

    private static String nonEmpty(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
