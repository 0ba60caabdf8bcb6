package io.wagateway.settings;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;

/**
 * Credentials of one WhatsApp Business number ({@code whatsapp_settings}). The secret columns hold
 * AES-GCM ciphertext written by SecretCipher, never plaintext; only SettingsService decrypts them.
 */
@Entity
@Table(name = "whatsapp_settings")
public class WhatsAppSettings {

    public static final String API_KEY = "api_key";
    public static final String ACCESS_TOKEN = "access_token";
    public static final String WEBHOOK_TOKEN = "webhook_token";
    public static final String APP_SECRET = "app_secret";

    /** Assigned before the first write (SettingsService): the secrets' ciphertexts are bound to it. */
    @Id
    public UUID id;

    @Column(name = API_KEY, nullable = false)
    public String apiKey;

    @Column(name = "phone_number_id", nullable = false)
    public String phoneNumberId;

    @Column(name = "business_id", nullable = false)
    public String businessId;

    @Column(name = ACCESS_TOKEN, nullable = false, columnDefinition = "text")
    public String accessToken;

    /** Last 4 characters are not stored apart: they are derived on read from the decrypted token. */
    @Column(name = WEBHOOK_TOKEN, nullable = false)
    public String webhookToken;

    @Column(name = "webhook_url")
    public String webhookUrl;

    @Column(name = "is_active", nullable = false)
    public boolean isActive = true;

    @Column(name = APP_SECRET)
    public String appSecret;

    @Column(name = "last_updated_at", nullable = false)
    public Instant lastUpdatedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /*
     * The account state (V16), written only by AccountWrites from Meta's webhooks: read here, never inserted or
     * updated through this entity, so a settings update cannot overwrite a newer webhook fact.
     */
    @Column(name = "display_phone_number", insertable = false, updatable = false)
    public String displayPhoneNumber;

    @Column(name = "quality_rating", insertable = false, updatable = false)
    public String qualityRating;

    @Column(name = "quality_rating_at", insertable = false, updatable = false)
    public Instant qualityRatingAt;

    @Column(name = "messaging_limit_tier", insertable = false, updatable = false)
    public String messagingLimitTier;

    @Column(name = "messaging_limit_tier_at", insertable = false, updatable = false)
    public Instant messagingLimitTierAt;

    @Column(name = "account_status", insertable = false, updatable = false)
    public String accountStatus;

    @Column(name = "account_status_at", insertable = false, updatable = false)
    public Instant accountStatusAt;

    /** The time of the latest account fact shown (quality, limit tier or status); null before the first. */
    public Instant accountUpdatedAt() {
        Instant latest = null;
        for (Instant at : new Instant[] { qualityRatingAt, messagingLimitTierAt, accountStatusAt }) {
            if (at != null && (latest == null || at.isAfter(latest))) {
                latest = at;
            }
        }
        return latest;
    }

    @PrePersist
    void onCreate() {
        createdAt = lastUpdatedAt = Instant.now();
    }

    @PreUpdate
    void onUpdate() {
        lastUpdatedAt = Instant.now();
    }
}
