package io.wagateway.conversation;

import java.time.Instant;
import java.util.Comparator;

/** Parameters of {@code inbound-message.sql}. */
public record InboundRow(String waId, String displayName, String phoneNumber, String phoneNumberId,
        Instant timestamp, String wamid, String content, String messageType, String metadataJson) {

    /** The order rows are written in: every writer locks in it, so concurrent ones cannot deadlock. */
    public static final Comparator<InboundRow> LOCK_ORDER = Comparator.comparing(InboundRow::phoneNumber)
            .thenComparing(InboundRow::wamid);
}
