package io.wagateway.message;

/** PostgreSQL enum {@code whatsapp_message_direction}. */
public enum MessageDirection {
    INBOUND,
    OUTBOUND
}
