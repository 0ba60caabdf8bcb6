package io.wagateway.security;

import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

/** Checks presented admin keys against the configured ones in constant time. */
@Startup
@ApplicationScoped
public class AdminKeyVerifier {

    private static final Logger LOG = Logger.getLogger(AdminKeyVerifier.class);

    /** SHA-256 of each key (see ConstantTime). */
    private final List<byte[]> keyDigests;
    /** Per key, the first {@value #FINGERPRINT_HEX} hex digits of its SHA-256: names a key in the audit log. */
    private final List<String> fingerprints;

    /** Hex digits of a key fingerprint: enough to tell keys apart, far too few to search for the key. */
    public static final int FINGERPRINT_HEX = 16;

    /** Refuses to start with a key that is too short or holds whitespace or control characters (SecretRules). */
    public AdminKeyVerifier(AdminConfig config) {
        ConfiguredSecretsCheck.check("gateway.admin.api-keys (GATEWAY_ADMIN_API_KEYS)", "key", config.apiKeys(),
                SecretRules.MIN_ADMIN_KEY);
        this.keyDigests = config.apiKeys().orElse(List.of()).stream()
                .map(String::strip).filter(k -> !k.isEmpty()).map(ConstantTime::sha256).toList();
        this.fingerprints = keyDigests.stream().map(AdminKeyVerifier::fingerprint).toList();
        if (keyDigests.isEmpty()) {
            LOG.warn("No admin API key configured (GATEWAY_ADMIN_API_KEYS): the admin API refuses every request.");
        }
    }

    /** Index of the matching key (for the principal's name, never the key itself), or -1. */
    public int match(String presented) {
        if (presented == null || presented.isEmpty()) {
            return -1;
        }
        return ConstantTime.indexOf(ConstantTime.sha256(presented), keyDigests);
    }

    /** The fingerprint of the key at {@code index} (as returned by {@link #match}). */
    public String fingerprint(int index) {
        return fingerprints.get(index);
    }

    /** The first {@value #FINGERPRINT_HEX} hex digits of a key's SHA-256. */
    static String fingerprint(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, FINGERPRINT_HEX / 2);
    }
}
