package io.wagateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.LogThrottle;
import io.wagateway.security.ConstantTime;
import io.wagateway.settings.SettingsChanged;
import io.wagateway.settings.SettingsCredentials;
import io.wagateway.settings.SettingsService;

/**
 * What webhook reception needs from the settings rows: their app secrets, verify tokens and the active
 * business numbers, decrypted once and reused for {@code gateway.whatsapp.secrets-cache-ttl} so a delivery
 * does not cost a settings query. Configured app secrets never need the database.
 */
@ApplicationScoped
public class WebhookSecrets {

    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);

    /**
     * Decrypted view of the active settings rows at {@code loadedAt}: each distinct app secret once
     * ({@code appSecrets}), with the signer it stands for at the same index ({@code signers}).
     */
    public record Snapshot(List<byte[]> appSecrets, List<Signer> signers, List<byte[]> verifyTokenDigests,
            Set<String> activeNumbers, Instant loadedAt) {
    }

    /**
     * Who signed a delivery, and so which changes it may store. The configured app secrets sign for every
     * number ({@link #ANY}). A settings row's app secret signs for that row's {@code phone_number_id}, and for
     * the numbers of its {@code businessId} (Meta's {@code entry[].id}, the WABA) that no row of another
     * business claims; rows sharing one app secret (one Meta app, several numbers) share all of that.
     *
     * @param numberBusinesses every active row's number and its business, to tell whose a number is
     */
    public record Signer(boolean everyNumber, Set<String> numbers, Set<String> businesses,
            Map<String, String> numberBusinesses) {

        public static final Signer ANY = new Signer(true, Set.of(), Set.of(), Map.of());

        /** True when this signer may store a change addressed to {@code phoneNumberId} under entry {@code wabaId}. */
        public boolean owns(String wabaId, String phoneNumberId) {
            if (everyNumber) {
                return true;
            }
            if (phoneNumberId == null) {
                return false;
            }
            if (numbers.contains(phoneNumberId)) {
                return true;
            }
            if (wabaId == null || !businesses.contains(wabaId)) {
                return false;
            }
            String business = numberBusinesses.get(phoneNumberId);
            return business == null || business.equals(wabaId);
        }
    }

    private final SettingsService settings;
    private final WebhookConfig config;
    private final List<byte[]> configuredSecrets;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    /** Counts settings changes; a reload that saw one happen while it ran does not cache what it read. */
    private final AtomicLong changes = new AtomicLong();
    /** System.nanoTime() before which no new reload starts (one in flight, or backing off after a failure). */
    private final AtomicLong reloadGate = new AtomicLong(System.nanoTime());
    private final LogThrottle throttle = new LogThrottle(java.time.Duration.ofMinutes(1));
    private static final long RELOAD_BACKOFF_NANOS = 1_000_000_000L;

    public WebhookSecrets(SettingsService settings, WebhookConfig config) {
        this.settings = settings;
        this.config = config;
        this.configuredSecrets = config.appSecrets().orElse(List.of()).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        if (configuredSecrets.isEmpty()) {
            LOG.warn("No app secret in GATEWAY_WHATSAPP_APP_SECRETS (gateway.whatsapp.app-secrets): webhook "
                    + "deliveries are only accepted for settings rows that have an appSecret.");
        }
    }

    /** App secrets from configuration (no I/O). */
    public List<byte[]> configuredSecrets() {
        return configuredSecrets;
    }

    /**
     * The settings view, reloaded when older than the TTL. One reload at a time: while one runs (or for a
     * second after one failed) callers get the previous view, so a database outage does not turn every
     * delivery into another failing settings query and log line.
     */
    public Uni<Snapshot> snapshot() {
        Snapshot snapshot = current.get();
        if (snapshot != null && snapshot.loadedAt().plus(config.secretsCacheTtl()).isAfter(Instant.now())) {
            return Uni.createFrom().item(snapshot);
        }
        long now = System.nanoTime();
        long gate = reloadGate.get();
        boolean mine = now - gate >= 0 && reloadGate.compareAndSet(gate, now + RELOAD_BACKOFF_NANOS);
        if (!mine && snapshot != null) {
            return Uni.createFrom().item(snapshot);
        }
        return load().onFailure().recoverWithUni(failure -> {
            Snapshot stale = current.get();
            if (throttle.admit("reload") >= 0) {
                LOG.warnf("Could not reload webhook secrets (%s)%s", failure.getClass().getSimpleName(),
                        stale == null ? "" : "; using those loaded at " + stale.loadedAt());
            }
            return stale == null ? Uni.createFrom().failure(failure) : Uni.createFrom().item(stale);
        });
    }

    /** Forgets the cached view after a settings change in this instance (other replicas wait for the TTL). */
    void onSettingsChanged(@Observes SettingsChanged event) {
        changes.incrementAndGet();
        current.set(null);
    }

    /** True when {@code token} equals the verify token of an active settings row (constant time). */
    public Uni<Boolean> isVerifyToken(String token) {
        if (token == null || token.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        byte[] digest = ConstantTime.sha256(token);
        return snapshot().map(s -> ConstantTime.indexOf(digest, s.verifyTokenDigests()) >= 0);
    }

    private Uni<Snapshot> load() {
        long changesBefore = changes.get();
        return settings.activeCredentials().map(rows -> {
            Map<String, String> numberBusinesses = new HashMap<>();
            for (SettingsCredentials row : rows) {
                if (row.phoneNumberId() != null) {
                    numberBusinesses.put(row.phoneNumberId(), row.businessId());
                }
            }
            // One signer per distinct app secret: every row that carries it adds its number and business.
            Map<String, Set<String>> numbers = new LinkedHashMap<>();
            Map<String, Set<String>> businesses = new HashMap<>();
            for (SettingsCredentials row : rows) {
                String secret = row.appSecret();
                if (secret == null || secret.isEmpty()) {
                    continue;
                }
                numbers.computeIfAbsent(secret, k -> new HashSet<>()).add(row.phoneNumberId());
                if (row.businessId() != null) {
                    businesses.computeIfAbsent(secret, k -> new HashSet<>()).add(row.businessId());
                }
            }
            Map<String, String> sharedNumberBusinesses = Collections.unmodifiableMap(numberBusinesses);
            List<byte[]> appSecrets = new ArrayList<>(numbers.size());
            List<Signer> signers = new ArrayList<>(numbers.size());
            numbers.forEach((secret, owned) -> {
                appSecrets.add(secret.getBytes(StandardCharsets.UTF_8));
                signers.add(new Signer(false, Collections.unmodifiableSet(owned),
                        Collections.unmodifiableSet(businesses.getOrDefault(secret, new HashSet<>())),
                        sharedNumberBusinesses));
            });
            Snapshot snapshot = new Snapshot(List.copyOf(appSecrets), List.copyOf(signers),
                    rows.stream().map(SettingsCredentials::webhookToken).filter(Objects::nonNull)
                            .map(ConstantTime::sha256).toList(),
                    Collections.unmodifiableSet(new HashSet<>(numberBusinesses.keySet())), Instant.now());
            if (changes.get() == changesBefore) {
                current.set(snapshot);
                if (changes.get() != changesBefore) {
                    current.compareAndSet(snapshot, null); // a change landed while it was being stored
                }
            }
            return snapshot;
        });
    }
}
