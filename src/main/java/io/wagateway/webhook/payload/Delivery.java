package io.wagateway.webhook.payload;

import java.util.List;

/**
 * One webhook POST, flattened: every inbound message and status of every entry and change, plus what was
 * acknowledged without being stored (other webhook fields, value-level errors).
 */
public record Delivery(
        List<InboundMessage> messages,
        List<StatusUpdate> statuses,
        List<WebhookError> errors,
        List<String> ignoredFields) {

    public int itemCount() {
        return messages.size() + statuses.size();
    }
}
