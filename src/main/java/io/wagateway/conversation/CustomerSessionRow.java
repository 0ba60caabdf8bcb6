package io.wagateway.conversation;

import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A session of a customer, read by projection: its customer's profile id (null when only its number ties it). */
@RegisterForReflection(methods = false, fields = false)
public record CustomerSessionRow(UUID profileId, UUID id, String phoneNumber) {
}
