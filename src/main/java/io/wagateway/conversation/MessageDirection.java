package io.wagateway.conversation;

/** PostgreSQL enum {@code whatsapp_message_direction}. */
public enum MessageDirection {
    INBOUND,
    OUTBOUND
}
