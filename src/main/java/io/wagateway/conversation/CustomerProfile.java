package io.wagateway.conversation;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;

/** A WhatsApp user, keyed by Meta's {@code wa_id} (the phone, else the BSUID) and found by {@code user_id}. */
@Entity
@Table(name = "customer_profiles")
public class CustomerProfile {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    public UUID id;

    @Column(name = "wa_id", nullable = false, unique = true)
    public String waId;

    @Column(name = "display_name")
    public String displayName;

    /** The business-scoped user id (BSUID, V12); wa_id is this too while the phone is withheld. */
    @Column(name = "user_id")
    public String userId;

    @Column(name = "parent_user_id")
    public String parentUserId;

    @Column(name = "username")
    public String username;

    @Column(name = "country_code")
    public String countryCode;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @PrePersist
    void onCreate() {
        createdAt = updatedAt = Instant.now();
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }
}
