package io.wagateway.webhook.payload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the value of a {@code calls} change (Meta's Calling API): {@code calls[]} (id, from, to, event connect or
 * terminate, timestamp, direction USER_INITIATED / BUSINESS_INITIATED, and on terminate status, start_time, end_time,
 * duration) and {@code statuses[]} of business-initiated calls (id, status, recipient_id, timestamp). Apart from
 * {@link DeliveryParser}: the messages parser stays as it is.
 */
public final class CallParser {

    public static final String FIELD = "calls";

    private CallParser() {
    }

    /** What one {@code calls} change holds: its events, and how many of its items name no call or no customer. */
    public record Calls(List<CallEvent> events, int unreadable) {
    }

    public static Calls parse(String wabaId, JsonNode value, Instant fallback) {
        JsonNode metadata = value.path("metadata");
        Routing routing = new Routing(wabaId, nonEmpty(DeliveryParser.text(metadata, "phone_number_id")),
                nonEmpty(DeliveryParser.text(metadata, "display_phone_number")));
        String business = digits(routing.displayPhoneNumber());
        JsonNode contacts = value.path("contacts");
        List<CallEvent> events = new ArrayList<>();
        int unreadable = 0;
        for (JsonNode call : value.path("calls")) {
            String id = nonEmpty(DeliveryParser.text(call, "id"));
            String event = nonEmpty(DeliveryParser.text(call, "event"));
            String from = nonEmpty(DeliveryParser.text(call, "from"));
            String to = nonEmpty(DeliveryParser.text(call, "to"));
            String direction = nonEmpty(DeliveryParser.text(call, "direction"));
            if (direction == null) {
                direction = nonEmpty(DeliveryParser.text(call, "call_direction"));
            }
            boolean inbound = direction != null ? !direction.toUpperCase(Locale.ROOT).startsWith("BUSINESS")
                    : business == null || !business.equals(digits(from));
            String customer = phone(inbound ? from : to);
            if (id == null || customer == null) {
                unreadable++;
                continue;
            }
            String status = nonEmpty(DeliveryParser.text(call, "status"));
            JsonNode duration = call.path("duration");
            Long seconds = duration.canConvertToLong() || duration.isTextual() ? parseLong(duration.asText()) : null;
            String kind = event == null ? "event" : event.toLowerCase(Locale.ROOT);
            events.add(new CallEvent(routing, id, customer, name(contacts, customer), "call:" + id + ":" + kind, event,
                    status, seconds, inbound, time(call, fallback), call));
        }
        for (JsonNode status : value.path("statuses")) {
            String id = nonEmpty(DeliveryParser.text(status, "id"));
            String state = nonEmpty(DeliveryParser.text(status, "status"));
            String customer = phone(nonEmpty(DeliveryParser.text(status, "recipient_id")));
            if (id == null || customer == null || state == null) {
                unreadable++;
                continue;
            }
            events.add(new CallEvent(routing, id, customer, name(contacts, customer),
                    "call:" + id + ":status:" + state.toLowerCase(Locale.ROOT), "status", state, null, false,
                    time(status, fallback), status));
        }
        return new Calls(events, unreadable);
    }

    private static String name(JsonNode contacts, String waId) {
        for (JsonNode contact : contacts) {
            if (waId.equals(DeliveryParser.text(contact, "wa_id"))) {
                return nonEmpty(DeliveryParser.text(contact.path("profile"), "name"));
            }
        }
        return null;
    }

    private static Instant time(JsonNode item, Instant fallback) {
        Long seconds = parseLong(DeliveryParser.text(item, "timestamp"));
        if (seconds == null || seconds < DeliveryParser.EARLIEST.getEpochSecond()
                || seconds > fallback.plus(DeliveryParser.LATEST_AHEAD).getEpochSecond()) {
            return fallback;
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static Long parseLong(String text) {
        if (text == null || text.isBlank() || text.length() > 19) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A number written with "+", spaces or dashes as its digits (the key messages use); anything else as it is. */
    private static String phone(String number) {
        return number != null && number.matches("\\+?[0-9][0-9 ()-]*") ? digits(number) : number;
    }

    private static String digits(String number) {
        if (number == null) {
            return null;
        }
        String digits = number.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? null : digits;
    }

    private static String nonEmpty(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
