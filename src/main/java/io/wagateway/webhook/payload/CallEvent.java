package io.wagateway.webhook.payload;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One item of the webhook field {@code calls}: a call's {@code connect} or {@code terminate}, or a status of a
 * business-initiated call ({@code RINGING}, {@code ACCEPTED}, {@code REJECTED}).
 *
 * @param customer the customer's number (the caller of a user-initiated call, the callee of a business-initiated
 *        one); null when the item names none (a customer who adopted a username: then {@code userId} names them)
 * @param userId the customer's business-scoped user id (BSUID: {@code from_user_id} / {@code to_user_id},
 *        {@code recipient_user_id}, else the contact's {@code user_id}); null when Meta sends none
 * @param parentUserId the parent BSUID, when Meta sends one
 * @param username the customer's username from {@code contacts[]}, when Meta sends one
 * @param key unique per call event: the call id with its event or status
 * @param inbound true for a user-initiated call
 */
public record CallEvent(Routing routing, String callId, String customer, String userId, String parentUserId,
        String username, String customerName, String key, String event, String status, Long durationSeconds,
        boolean inbound, Instant timestamp, JsonNode item) {

    /** The timeline's text of this event. */
    public String summary() {
        String who = inbound ? "Incoming call" : "Outgoing call";
        if ("terminate".equalsIgnoreCase(event)) {
            StringBuilder out = new StringBuilder(who).append(" ended");
            if (status != null || durationSeconds != null) {
                out.append(" (");
                if (status != null) {
                    out.append(status);
                }
                if (durationSeconds != null) {
                    out.append(status != null ? ", " : "").append(durationSeconds).append(" s");
                }
                out.append(')');
            }
            return out.toString();
        }
        if ("connect".equalsIgnoreCase(event)) {
            return who;
        }
        return who + (status != null ? " " + status.toLowerCase(java.util.Locale.ROOT) : event != null ? " " + event : "");
    }
}
