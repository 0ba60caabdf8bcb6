package io.wagateway.conversation;

import java.time.Instant;
import java.util.Comparator;

/**
 * Parameters of {@code inbound-message.sql}. {@code waId} and {@code phoneNumber} are the sender's phone when the
 * delivery carries it, else the BSUID; {@code userId} (the BSUID) resolves the customer first
 * ({@code gateway_customer_identity}, V12), which may give another key. {@code newUserId}: the BSUID a
 * {@code user_changed_user_id} system message changes to.
 */
public record InboundRow(String waId, String displayName, String phoneNumber, String phoneNumberId,
        Instant timestamp, String wamid, String content, String messageType, String metadataJson, String userId,
        String parentUserId, String username, String countryCode, String newUserId) {

    /** The order rows are written in: every writer locks in it, so concurrent ones cannot deadlock. */
    public static final Comparator<InboundRow> LOCK_ORDER = Comparator.comparing(InboundRow::phoneNumber)
            .thenComparing(InboundRow::wamid);

    /** A row without business-scoped identity (a phone number only). */
    public InboundRow(String waId, String displayName, String phoneNumber, String phoneNumberId, Instant timestamp,
            String wamid, String content, String messageType, String metadataJson) {
        this(waId, displayName, phoneNumber, phoneNumberId, timestamp, wamid, content, messageType, metadataJson, null,
                null, null, null, null);
    }

    public boolean hasUserId() {
        return userId != null && !userId.isEmpty();
    }

    /** The same row stored under {@code key} (wa_id and session phone number), as its customer resolved. */
    public InboundRow withKey(String key) {
        return key == null || (key.equals(waId) && key.equals(phoneNumber)) ? this
                : new InboundRow(key, displayName, key, phoneNumberId, timestamp, wamid, content, messageType,
                        metadataJson, userId, parentUserId, username, countryCode, newUserId);
    }

    /** The phone the delivery carried, or null when it withheld it (the key is then the BSUID). */
    public String phone() {
        return hasUserId() && userId.equals(waId) ? null : waId;
    }
}
