package io.wagateway.conversation;

import java.util.Locale;

/**
 * Delivery status of a message and its rank: a status only ever replaces one of lower rank, so statuses
 * that Meta delivers out of order (or twice) never move a message backwards. {@code failed} is terminal.
 */
public enum MessageStatus {
    /** Our send was accepted by the Graph API (its answer carried the wamid); no webhook yet. */
    ACCEPTED(1),
    SENT(2),
    DELIVERED(3),
    READ(4),
    /** First play of a voice message (after read). */
    PLAYED(5),
    FAILED(10);

    private final short rank;

    MessageStatus(int rank) {
        this.rank = (short) rank;
    }

    public short rank() {
        return rank;
    }

    /** The value stored in {@code whatsapp_messages.status} and shown by the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Meta's status string, or null for one this service does not know (kept, never applied). */
    public static MessageStatus fromWire(String status) {
        if (status == null) {
            return null;
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "accepted" -> ACCEPTED;
            case "sent" -> SENT;
            case "delivered" -> DELIVERED;
            case "read" -> READ;
            case "played" -> PLAYED;
            case "failed" -> FAILED;
            default -> null;
        };
    }
}
