package io.wagateway.conversation;

import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An existing message to mark read: its direction and the business numbers it may have come in on. */
@RegisterForReflection(methods = false, fields = false)
record ReadTarget(UUID id, UUID sessionId, MessageDirection direction, String phoneNumberId,
        String sessionPhoneNumberId) {
}
