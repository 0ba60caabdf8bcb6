package io.wagateway.webhook.payload;

import java.util.List;

/**
 * One webhook POST, flattened: every inbound message and status of every entry and change, plus what was
 * acknowledged without being stored (other webhook fields, value-level errors).
 *
 * @param userIdChanges the BSUID changes of {@code user_id_update} webhooks
 * @param timestampsReplaced items whose timestamp was missing, unreadable or implausible, so the arrival
 *        time stands in for it
 */
public record Delivery(
        List<InboundMessage> messages,
        List<StatusUpdate> statuses,
        List<UserIdChange> userIdChanges,
        List<WebhookError> errors,
        List<String> ignoredFields,
        int timestampsReplaced) {

    public int itemCount() {
        return messages.size() + statuses.size() + userIdChanges.size();
    }

    /** The same delivery with only {@code messages} and {@code statuses} left to store. */
    public Delivery withItems(List<InboundMessage> messages, List<StatusUpdate> statuses) {
        return new Delivery(messages, statuses, userIdChanges, errors, ignoredFields, timestampsReplaced);
    }

    /** The same delivery with only these items left to store. */
    public Delivery withItems(List<InboundMessage> messages, List<StatusUpdate> statuses,
            List<UserIdChange> userIdChanges) {
        return new Delivery(messages, statuses, userIdChanges, errors, ignoredFields, timestampsReplaced);
    }
}
