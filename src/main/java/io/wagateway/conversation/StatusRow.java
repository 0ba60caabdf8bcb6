package io.wagateway.conversation;

import java.time.Instant;

/**
 * One delivery status to apply to its message ({@link ConversationWrites#applyStatuses}): Meta's status and its
 * rank, Meta's timestamp, the errors of a failure (JSON text or null), the status as received (kept while its
 * message is not stored yet) and the business number its signer may write for ({@code scope}; null = any number).
 */
public record StatusRow(String wamid, String status, short rank, Instant at, String errorsJson, String rawJson,
        String scope) {
}
