package io.wagateway.conversation;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the API shows of a message, read by projection: never the whole entity, because Hibernate Reactive
 * cannot read a JSON array (status_errors of a failed message) into an entity attribute.
 */
@RegisterForReflection(methods = false, fields = false)
public record MessageRow(UUID id, String wamid, UUID sessionId, MessageDirection direction, String messageType,
        String content, String status, Map<String, Object> metadata, Instant createdAt, Instant editedAt,
        Instant revokedAt) {

    /** HQL constructor expression of this record over alias {@code m}. */
    static final String SELECT = "select new io.wagateway.conversation.MessageRow(m.id, m.wamid, m.session.id, "
            + "m.direction, m.messageType, m.content, m.status, m.metadata, m.createdAt, m.editedAt, m.revokedAt) "
            + "from WhatsAppMessage m ";
}
