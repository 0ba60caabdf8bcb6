package io.wagateway.conversation;

import java.time.Instant;

/**
 * An inbound message of type {@code edit} or {@code revoke}: applied to its original ({@code edit-apply.sql}),
 * not stored as a message of its own. {@code kind} is {@code edit} or {@code revoke}; {@code messageType},
 * {@code content} and {@code messageJson} are the edit's new message (null for a revoke).
 */
public record EditRow(String wamid, String originalWamid, String kind, String messageType, String content,
        String messageJson, Instant timestamp, String phoneNumberId) {
}
