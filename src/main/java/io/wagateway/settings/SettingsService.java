package io.wagateway.settings;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.ConflictException;
import io.wagateway.common.Constraints;
import io.wagateway.common.Cursor;
import io.wagateway.common.LogThrottle;
import io.wagateway.common.NotFoundException;
import io.wagateway.common.PageResponse;
import io.wagateway.security.SecretCipher;
import io.wagateway.settings.dto.CreateSettingsRequest;
import io.wagateway.settings.dto.SettingsResponse;
import io.wagateway.settings.dto.UpdateSettingsRequest;

/** Settings rows: encryption of their secrets, the one-active-row-per-number rule, and their views. */
@ApplicationScoped
public class SettingsService {

    private static final Logger LOG = Logger.getLogger(SettingsService.class);

    private final SettingsRepository repository;
    private final SecretCipher cipher;
    private final Event<SettingsChanged> changed;
    private final HistoryProgress history;
    private final LogThrottle undecryptable = new LogThrottle(java.time.Duration.ofMinutes(1));

    public SettingsService(SettingsRepository repository, SecretCipher cipher, Event<SettingsChanged> changed,
            HistoryProgress history) {
        this.history = history;
        this.repository = repository;
        this.cipher = cipher;
        this.changed = changed;
    }

    public Uni<SettingsResponse> create(CreateSettingsRequest request) {
        return Panache.withTransaction(() -> insert(request))
                .invoke(saved -> committed(saved, "created"))
                .map(this::toResponse);
    }

    private Uni<WhatsAppSettings> insert(CreateSettingsRequest request) {
        WhatsAppSettings row = new WhatsAppSettings();
        row.id = UUID.randomUUID();
        row.phoneNumberId = request.phoneNumberId();
        row.businessId = request.businessId();
        row.webhookUrl = request.webhookUrl();
        row.isActive = request.isActive() == null || request.isActive();
        row.apiKey = cipher.encrypt(request.apiKey(), WhatsAppSettings.API_KEY, row.id);
        row.accessToken = cipher.encrypt(request.accessToken(), WhatsAppSettings.ACCESS_TOKEN, row.id);
        row.webhookToken = cipher.encrypt(request.webhookToken(), WhatsAppSettings.WEBHOOK_TOKEN, row.id);
        row.appSecret = cipher.encrypt(request.appSecret(), WhatsAppSettings.APP_SECRET, row.id);
        return repository.persistAndFlush(row)
                .onFailure(f -> Constraints.isUniqueViolation(f, SettingsRepository.ACTIVE_PHONE_NUMBER_INDEX))
                .transform(f -> duplicateActive(row.phoneNumberId));
    }

    @WithSession
    public Uni<PageResponse<SettingsResponse>> list(Cursor after, int size) {
        return repository.page(after, size + 1).map(rows -> {
            Cursor.Slice<WhatsAppSettings> slice = Cursor.slice(rows, size, row -> new Cursor(row.createdAt, row.id));
            return new PageResponse<>(slice.rows().stream().map(this::toResponse).toList(), slice.nextCursor());
        });
    }

    @WithSession
    public Uni<SettingsResponse> get(UUID id) {
        return find(id).map(this::toResponse)
                .chain(row -> history.of(row.phoneNumberId()).map(status -> status == null ? row : row.withHistory(status)));
    }

    public Uni<SettingsResponse> update(UUID id, UpdateSettingsRequest request) {
        return Panache.withTransaction(() -> change(id, request))
                .invoke(row -> committed(row, "updated"))
                .map(this::toResponse);
    }

    private Uni<WhatsAppSettings> change(UUID id, UpdateSettingsRequest request) {
        return find(id).flatMap(row -> {
            if (request.phoneNumberId() != null) {
                row.phoneNumberId = request.phoneNumberId();
            }
            if (request.businessId() != null) {
                row.businessId = request.businessId();
            }
            if (request.webhookUrl() != null) {
                row.webhookUrl = request.webhookUrl().isEmpty() ? null : request.webhookUrl();
            }
            if (request.isActive() != null) {
                row.isActive = request.isActive();
            }
            if (request.apiKey() != null) {
                row.apiKey = cipher.encrypt(request.apiKey(), WhatsAppSettings.API_KEY, row.id);
            }
            if (request.accessToken() != null) {
                row.accessToken = cipher.encrypt(request.accessToken(), WhatsAppSettings.ACCESS_TOKEN, row.id);
            }
            if (request.webhookToken() != null) {
                row.webhookToken = cipher.encrypt(request.webhookToken(), WhatsAppSettings.WEBHOOK_TOKEN, row.id);
            }
            if (request.appSecret() != null) {
                row.appSecret = request.appSecret().isEmpty() ? null
                        : cipher.encrypt(request.appSecret(), WhatsAppSettings.APP_SECRET, row.id);
            }
            // Every write leaves all secrets in the current format under the current key (row id bound in).
            row.apiKey = reseal(row.apiKey, WhatsAppSettings.API_KEY, row.id);
            row.accessToken = reseal(row.accessToken, WhatsAppSettings.ACCESS_TOKEN, row.id);
            row.webhookToken = reseal(row.webhookToken, WhatsAppSettings.WEBHOOK_TOKEN, row.id);
            row.appSecret = reseal(row.appSecret, WhatsAppSettings.APP_SECRET, row.id);
            // Hibernate only fires @PreUpdate when something changed; an update request always touches the row.
            row.lastUpdatedAt = java.time.Instant.now();
            return repository.flush()
                    .onFailure(f -> Constraints.isUniqueViolation(f, SettingsRepository.ACTIVE_PHONE_NUMBER_INDEX))
                    .transform(f -> duplicateActive(row.phoneNumberId))
                    .replaceWith(row);
        });
    }

    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> repository.deleteById(id).invoke(deleted -> {
            if (!deleted) {
                throw new NotFoundException("Settings", id);
            }
        })).invoke(() -> {
            LOG.infof("Settings %s deleted", id);
            changed.fire(new SettingsChanged(id));
        }).replaceWithVoid();
    }

    /**
     * Announces a committed write: only now may caches (the webhook's secrets) reload, or they could read the row
     * as it was before the transaction and keep that until their TTL.
     */
    private void committed(WhatsAppSettings row, String what) {
        LOG.infof("Settings %s %s (phone_number_id=%s, active=%s)", row.id, what, row.phoneNumberId, row.isActive);
        changed.fire(new SettingsChanged(row.id));
    }

    /**
     * Decrypted credentials of every active row (webhook verification: tokens and app secrets). A row whose
     * secrets do not decrypt (tampered, copied from another row, key removed) is left out and logged, so it
     * costs only its own number, not every number's webhooks.
     */
    @WithSession
    public Uni<List<SettingsCredentials>> activeCredentials() {
        return repository.listActive().map(rows -> rows.stream().map(this::credentialsOrNull)
                .filter(java.util.Objects::nonNull).toList());
    }

    /** Decrypted credentials of the active row of a business number, or null. */
    @WithSession
    public Uni<SettingsCredentials> activeCredentials(String phoneNumberId) {
        return repository.findActiveByPhoneNumberId(phoneNumberId).map(row -> row == null ? null : credentials(row));
    }

    private Uni<WhatsAppSettings> find(UUID id) {
        return repository.findById(id).onItem().ifNull().failWith(() -> new NotFoundException("Settings", id));
    }

    private SettingsCredentials credentials(WhatsAppSettings row) {
        return new SettingsCredentials(row.id, row.phoneNumberId, row.businessId, row.isActive,
                cipher.decrypt(row.accessToken, WhatsAppSettings.ACCESS_TOKEN, row.id),
                cipher.decrypt(row.webhookToken, WhatsAppSettings.WEBHOOK_TOKEN, row.id),
                cipher.decrypt(row.appSecret, WhatsAppSettings.APP_SECRET, row.id));
    }

    private SettingsCredentials credentialsOrNull(WhatsAppSettings row) {
        try {
            return credentials(row);
        } catch (IllegalStateException e) {
            long suppressed = undecryptable.admit(String.valueOf(row.id));
            if (suppressed >= 0) {
                LOG.errorf("Settings %s (phone_number_id=%s) left out: %s", row.id, row.phoneNumberId, e.getMessage());
            }
            return null;
        }
    }

    /** The stored secret re-encrypted in the current format under the current key, unless it already is. */
    private String reseal(String stored, String column, UUID rowId) {
        return cipher.isCurrent(stored) ? stored : cipher.encrypt(cipher.decrypt(stored, column, rowId), column, rowId);
    }

    private SettingsResponse toResponse(WhatsAppSettings row) {
        String token = cipher.decrypt(row.accessToken, WhatsAppSettings.ACCESS_TOKEN, row.id);
        // Short tokens would be half revealed by 4 characters; only long ones (real Meta tokens) show a hint.
        String last4 = token != null && token.length() >= 16 ? token.substring(token.length() - 4) : null;
        return new SettingsResponse(row.id, row.phoneNumberId, row.businessId, row.webhookUrl, row.isActive,
                row.apiKey != null, token != null, last4, row.webhookToken != null, row.appSecret != null,
                row.lastUpdatedAt, row.createdAt, row.displayPhoneNumber, row.qualityRating, row.messagingLimitTier,
                row.accountStatus, row.accountUpdatedAt());
    }

    private static ConflictException duplicateActive(String phoneNumberId) {
        return new ConflictException("Conflict", "An active settings row for phone number id " + phoneNumberId
                + " already exists; deactivate it (isActive=false) or update it instead.");
    }
}
