package io.wagateway.conversation;

/**
 * Outcome of one status: moved the message forward, was stale/repeated, was kept for later, named a
 * message of a number its signer does not own (left untouched), or was for a message of a deleted
 * conversation (not kept).
 */
public enum StatusOutcome {
    APPLIED,
    STALE,
    PENDING,
    FOREIGN,
    DELETED
}
