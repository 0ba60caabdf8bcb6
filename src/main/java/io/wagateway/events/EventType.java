package io.wagateway.events;

import java.util.List;

import io.wagateway.common.InvalidInputException;

/** The event types of the feed (CloudEvents {@code type}). */
public final class EventType {

    public static final String MESSAGE_RECEIVED = "whatsapp.message.received";
    public static final String MESSAGE_SENT = "whatsapp.message.sent";
    public static final String MESSAGE_STATUS = "whatsapp.message.status";
    public static final String MESSAGE_EDITED = "whatsapp.message.edited";
    public static final String MESSAGE_REVOKED = "whatsapp.message.revoked";
    public static final String SESSION_UPDATED = "whatsapp.session.updated";
    public static final String SESSION_DELETED = "whatsapp.session.deleted";
    public static final String CUSTOMER_UPDATED = "whatsapp.customer.updated";
    public static final String CUSTOMER_ERASED = "whatsapp.customer.erased";
    public static final String TEMPLATE_UPDATED = "whatsapp.template.updated";
    public static final String ACCOUNT_UPDATED = "whatsapp.account.updated";
    public static final String MEDIA_STORED = "whatsapp.media.stored";
    public static final String MEDIA_FAILED = "whatsapp.media.failed";

    /** Every type a subscription or a reader of the feed may name. */
    public static final List<String> ALL = List.of(MESSAGE_RECEIVED, MESSAGE_SENT, MESSAGE_STATUS, MESSAGE_EDITED,
            MESSAGE_REVOKED, SESSION_UPDATED, SESSION_DELETED, CUSTOMER_UPDATED, CUSTOMER_ERASED, TEMPLATE_UPDATED,
            ACCOUNT_UPDATED, MEDIA_STORED, MEDIA_FAILED);

    private EventType() {
    }

    /** {@code types} when every one is known, else a 400 naming the first unknown one. */
    public static List<String> requireKnown(List<String> types) {
        for (String type : types) {
            if (!ALL.contains(type)) {
                throw new InvalidInputException("Unknown event type '" + type + "'; known types: "
                        + String.join(", ", ALL) + ".");
            }
        }
        return types;
    }
}
