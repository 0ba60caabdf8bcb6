package io.wagateway.webhook.payload;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Walks Meta's JSON tree into a {@link Delivery}. Lenient by design: unknown fields and types are kept in
 * the raw JSON, missing arrays are empty, and nothing here needs reflection (native-image friendly).
 */
public final class DeliveryParser {

    /** Before WhatsApp existed: an earlier timestamp is not a real one. */
    static final Instant EARLIEST = Instant.parse("2009-01-01T00:00:00Z");
    /** How far past its arrival an item's timestamp may be (clock skew); later ones are not real either. */
    static final Duration LATEST_AHEAD = Duration.ofDays(1);

    /** The body of a user_changed_user_id system message: its previous and its new BSUID. */
    private static final Pattern CHANGED_FROM = Pattern.compile("changed from (\\S+) to (\\S+?)\\.?$");

    private DeliveryParser() {
    }

    public static Delivery parse(JsonNode root) {
        return parse(root, Instant.now());
    }

    /**
     * {@code arrival} stands in for every timestamp that is missing, unreadable, or outside 2009 … arrival
     * plus a day: one that Instant or PostgreSQL cannot hold would fail the delivery for ever, and one far in
     * the future would hold the customer's 24-hour window open (or, stored as infinity, closed) for good.
     */
    public static Delivery parse(JsonNode root, Instant arrival) {
        Timestamps timestamps = new Timestamps(arrival);
        List<InboundMessage> messages = new ArrayList<>();
        List<StatusUpdate> statuses = new ArrayList<>();
        List<WebhookError> errors = new ArrayList<>();
        List<UserIdChange> userIdChanges = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        if (!"whatsapp_business_account".equals(text(root, "object"))) {
            ignored.add("object:" + (text(root, "object") == null ? "missing" : text(root, "object")));
        }
        for (JsonNode entry : root.path("entry")) {
            String wabaId = text(entry, "id");
            for (JsonNode change : entry.path("changes")) {
                String field = text(change, "field");
                JsonNode value = change.path("value");
                if ("user_id_update".equals(field)) {
                    JsonNode metadata = value.path("metadata");
                    Routing routing = new Routing(wabaId, text(metadata, "phone_number_id"),
                            text(metadata, "display_phone_number"));
                    for (JsonNode update : value.path("user_id_update")) {
                        // user_id: {previous, current}; leniently also user_id (current) with previous_user_id
                        JsonNode userId = update.path("user_id");
                        String current = userId.isObject() ? nonEmpty(text(userId, "current"))
                                : nonEmpty(text(update, "user_id"));
                        String previous = userId.isObject() ? nonEmpty(text(userId, "previous"))
                                : nonEmpty(text(update, "previous_user_id"));
                        if (current != null) {
                            userIdChanges.add(new UserIdChange(routing, nonEmpty(text(update, "wa_id")), previous,
                                    current));
                        }
                    }
                    continue;
                }
                if (field != null && !"messages".equals(field)) {
                    ignored.add(field);
                    continue;
                }
                JsonNode metadata = value.path("metadata");
                Routing routing = new Routing(wabaId, text(metadata, "phone_number_id"),
                        text(metadata, "display_phone_number"));
                JsonNode contacts = value.path("contacts");
                for (JsonNode message : value.path("messages")) {
                    messages.add(message(routing, contacts, message, timestamps));
                }
                for (JsonNode status : value.path("statuses")) {
                    statuses.add(new StatusUpdate(routing, text(status, "id"), text(status, "status"),
                            timestamps.of(status), nonEmpty(text(status, "recipient_id")),
                            status.has("errors") ? status.get("errors") : null, status,
                            nonEmpty(text(status, "recipient_user_id"))));
                }
                for (JsonNode error : value.path("errors")) {
                    errors.add(new WebhookError(routing, error.path("code").isNumber() ? error.get("code").asInt() : null,
                            text(error, "title"), text(error.path("error_data"), "details")));
                }
            }
        }
        return new Delivery(messages, statuses, userIdChanges, errors, ignored, timestamps.replaced);
    }

    private static InboundMessage message(Routing routing, JsonNode contacts, JsonNode message, Timestamps timestamps) {
        String from = nonEmpty(text(message, "from"));
        String fromUserId = nonEmpty(text(message, "from_user_id"));
        JsonNode contact = null;
        for (JsonNode candidate : contacts) {
            String waId = text(candidate, "wa_id");
            String userId = text(candidate, "user_id");
            if ((from != null && from.equals(waId)) || (fromUserId != null && fromUserId.equals(userId))) {
                contact = candidate;
                break;
            }
        }
        if (contact == null && from == null && fromUserId == null && contacts.size() == 1) {
            // a message without sender fields (some system messages): the one contact of its change
            contact = contacts.get(0);
        }
        JsonNode profile = contact == null ? null : contact.path("profile");
        String contactWaId = contact == null ? null : nonEmpty(text(contact, "wa_id"));
        String userId = fromUserId != null ? fromUserId : contact == null ? null : nonEmpty(text(contact, "user_id"));
        String phone = contactWaId != null ? contactWaId : from;
        String newUserId = null;
        JsonNode system = message.path("system");
        if ("user_changed_user_id".equals(text(system, "type"))) {
            // the BSUID changed: the message comes from the previous one, system.user_id is the new one
            newUserId = nonEmpty(text(system, "user_id"));
            String previous = nonEmpty(text(system, "previous_user_id"));
            if (previous == null && userId == null) {
                // only the body names the previous one: "User <name> changed from <previous> to <new>"
                Matcher change = CHANGED_FROM.matcher(String.valueOf(text(system, "body")));
                if (change.find() && change.group(2).equals(newUserId)) {
                    previous = change.group(1);
                }
            }
            if (previous != null) {
                userId = previous;
            }
        }
        // the phone when Meta shares it, else the BSUID: the customer's key (docs/webhook.md, BSUID)
        String sender = phone != null ? phone : userId;
        String name = profile == null ? null : text(profile, "name");
        String parent = nonEmpty(text(message, "from_parent_user_id"));
        if (parent == null && contact != null) {
            parent = nonEmpty(text(contact, "parent_user_id"));
        }
        String username = profile == null ? null : nonEmpty(text(profile, "username"));
        if (username == null && contact != null) {
            username = nonEmpty(text(contact, "username"));
        }
        String countryCode = profile == null ? null : nonEmpty(text(profile, "country_code"));
        if (countryCode == null && contact != null) {
            countryCode = nonEmpty(text(contact, "country_code"));
        }
        return new InboundMessage(routing, text(message, "id"), sender, sender, name, text(message, "type"),
                timestamps.of(message), message, userId, parent, username, countryCode, newUserId);
    }

    private static String nonEmpty(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /** Meta's timestamps are strings of Unix seconds; the plausible ones are kept, the others counted. */
    private static final class Timestamps {
        private final Instant arrival;
        private final long earliest;
        private final long latest;
        int replaced;

        Timestamps(Instant arrival) {
            this.arrival = arrival;
            this.earliest = EARLIEST.getEpochSecond();
            this.latest = arrival.plus(LATEST_AHEAD).getEpochSecond();
        }

        Instant of(JsonNode node) {
            long seconds = epochSeconds(node.path("timestamp"));
            if (seconds < earliest || seconds > latest) {
                replaced++;
                return arrival;
            }
            return Instant.ofEpochSecond(seconds);
        }

        /** The seconds, or Long.MIN_VALUE when there are none to read. */
        private static long epochSeconds(JsonNode ts) {
            if (ts.isIntegralNumber()) {
                return ts.canConvertToLong() ? ts.longValue() : Long.MIN_VALUE;
            }
            if (ts.isNumber()) {
                double value = ts.doubleValue();
                // out of long's range (or NaN): implausible anyway
                return Double.isFinite(value) && Math.abs(value) < 1e18 ? (long) Math.floor(value) : Long.MIN_VALUE;
            }
            if (ts.isTextual()) {
                String text = ts.textValue().trim();
                if (text.isEmpty() || text.length() > 19) {
                    return Long.MIN_VALUE;
                }
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    return Long.MIN_VALUE;
                }
            }
            return Long.MIN_VALUE;
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
