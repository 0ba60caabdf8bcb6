package io.wagateway.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jboss.logging.Logger;

/** Checks presented admin keys against the configured ones in constant time. */
@ApplicationScoped
public class AdminKeyVerifier {

    private static final Logger LOG = Logger.getLogger(AdminKeyVerifier.class);

    /** SHA-256 of each key: equal-length inputs for MessageDigest.isEqual, so length leaks nothing either. */
    private final List<byte[]> keyDigests;

    public AdminKeyVerifier(AdminConfig config) {
        this.keyDigests = config.apiKeys().orElse(List.of()).stream()
                .map(String::trim).filter(k -> !k.isEmpty()).map(AdminKeyVerifier::sha256).toList();
        if (keyDigests.isEmpty()) {
            LOG.warn("No admin API key configured (GATEWAY_ADMIN_API_KEYS): the admin API refuses every request.");
        }
    }

    /** Index of the matching key (for the principal's name, never the key itself), or -1. */
    public int match(String presented) {
        if (presented == null || presented.isEmpty()) {
            return -1;
        }
        byte[] digest = sha256(presented);
        int found = -1;
        for (int i = 0; i < keyDigests.size(); i++) {
            // No early exit: every configured key is compared.
            if (MessageDigest.isEqual(digest, keyDigests.get(i)) && found < 0) {
                found = i;
            }
        }
        return found;
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
