package io.wagateway.conversation;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One message in or out, unique by Meta's wamid ({@code whatsapp_messages}). */
@Entity
@Table(name = "whatsapp_messages")
public class WhatsAppMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "session_id", nullable = false)
    public WhatsAppSession session;

    @Column(name = "message_id", nullable = false, unique = true)
    public String wamid;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "direction", nullable = false, columnDefinition = "whatsapp_message_direction")
    public MessageDirection direction;

    @Column(name = "content", nullable = false, columnDefinition = "text")
    public String content;

    @Column(name = "message_type", nullable = false)
    public String messageType = "text";

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "metadata", columnDefinition = "jsonb")
    public Map<String, Object> metadata;

    /** accepted, sent, delivered, read, played or failed; null for inbound messages not yet marked read. */
    @Column(name = "status")
    public String status;

    /** Order of {@link #status} (see MessageStatus); statuses only ever move to a higher rank. */
    @Column(name = "status_rank", nullable = false)
    public short statusRank;

    @Column(name = "status_at")
    public Instant statusAt;

    // status_errors (jsonb array of Meta errors) is written and read by SQL only: Hibernate Reactive cannot
    // load a JSON array into an entity attribute, and no entity code needs it.

    /** Meta's timestamp of the message (inbound: when the customer sent it). */
    @Column(name = "wa_timestamp")
    public Instant waTimestamp;

    @Column(name = "phone_number_id")
    public String phoneNumberId;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** When the customer last edited it (type edit, V12), null when never. */
    @Column(name = "edited_at")
    public Instant editedAt;

    /** When the customer revoked (deleted) it (type revoke, V12), null when not. */
    @Column(name = "revoked_at")
    public Instant revokedAt;

    @PrePersist
    void onCreate() {
        if (createdAt == null) {
            createdAt = Instant.now();
        }
    }
}
