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
 *
 * <p>
 * Business-scoped user ids (BSUID, 2026): a call names its customer by {@code from_user_id} (user-initiated) or
 * {@code to_user_id} (business-initiated), a call status by {@code recipient_user_id}, each with its parent id
 * beside it, and {@code contacts[]} carries {@code user_id} and {@code profile.username}, as in messages webhooks.
 * The phone ({@code from}, {@code to}, {@code recipient_id}) may then be empty or missing: the event is still the
 * customer's, found by its BSUID.
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
                    : business == null ? nonEmpty(DeliveryParser.text(call, "to_user_id")) == null
                            : !business.equals(digits(from));
            String side = inbound ? "from" : "to";
            Customer customer = customer(contacts, phone(inbound ? from : to),
                    nonEmpty(DeliveryParser.text(call, side + "_user_id")),
                    nonEmpty(DeliveryParser.text(call, side + "_parent_user_id")));
            if (id == null || customer == null) {
                unreadable++;
                continue;
            }
            String status = nonEmpty(DeliveryParser.text(call, "status"));
            JsonNode duration = call.path("duration");
            Long seconds = duration.canConvertToLong() || duration.isTextual() ? parseLong(duration.asText()) : null;
            String kind = event == null ? "event" : event.toLowerCase(Locale.ROOT);
            events.add(new CallEvent(routing, id, customer.phone(), customer.userId(), customer.parentUserId(),
                    customer.username(), customer.name(), "call:" + id + ":" + kind, event, status, seconds, inbound,
                    time(call, fallback), call));
        }
        for (JsonNode status : value.path("statuses")) {
            String id = nonEmpty(DeliveryParser.text(status, "id"));
            String state = nonEmpty(DeliveryParser.text(status, "status"));
            String parent = nonEmpty(DeliveryParser.text(status, "recipient_parent_user_id"));
            Customer customer = customer(contacts, phone(nonEmpty(DeliveryParser.text(status, "recipient_id"))),
                    nonEmpty(DeliveryParser.text(status, "recipient_user_id")),
                    parent != null ? parent : nonEmpty(DeliveryParser.text(status, "parent_recipient_user_id")));
            if (id == null || customer == null || state == null) {
                unreadable++;
                continue;
            }
            events.add(new CallEvent(routing, id, customer.phone(), customer.userId(), customer.parentUserId(),
                    customer.username(), customer.name(), "call:" + id + ":status:" + state.toLowerCase(Locale.ROOT),
                    "status", state, null, false, time(status, fallback), status));
        }
        return new Calls(events, unreadable);
    }

    /** Who a call event is about: a phone, a BSUID or both, with what {@code contacts[]} says of them. */
    private record Customer(String phone, String userId, String parentUserId, String username, String name) {
    }

    /**
     * The customer of a call event: its phone and BSUID, completed from the matching contact (by wa_id, else by
     * user_id; the only contact when the event names neither); null when nothing names a customer.
     */
    private static Customer customer(JsonNode contacts, String phone, String userId, String parentUserId) {
        JsonNode contact = null;
        for (JsonNode candidate : contacts) {
            String waId = nonEmpty(DeliveryParser.text(candidate, "wa_id"));
            String contactUser = nonEmpty(DeliveryParser.text(candidate, "user_id"));
            if (phone != null && phone.equals(waId) || userId != null && userId.equals(contactUser)) {
                contact = candidate;
                break;
            }
        }
        if (contact == null && phone == null && userId == null && contacts.size() == 1) {
            contact = contacts.get(0);
        }
        JsonNode profile = contact == null ? null : contact.path("profile");
        if (contact != null) {
            phone = phone != null ? phone : phone(nonEmpty(DeliveryParser.text(contact, "wa_id")));
            userId = userId != null ? userId : nonEmpty(DeliveryParser.text(contact, "user_id"));
            parentUserId = parentUserId != null ? parentUserId
                    : nonEmpty(DeliveryParser.text(contact, "parent_user_id"));
        }
        if (phone == null && userId == null) {
            return null;
        }
        String username = profile == null ? null : nonEmpty(DeliveryParser.text(profile, "username"));
        String name = profile == null ? null : nonEmpty(DeliveryParser.text(profile, "name"));
        return new Customer(phone, userId, parentUserId, username, name);
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
