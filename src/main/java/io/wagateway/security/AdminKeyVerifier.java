package io.wagateway.security;

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

    /** Refuses to start with a key that is too short or holds whitespace or control characters (SecretRules). */
    public AdminKeyVerifier(AdminConfig config) {
        ConfiguredSecretsCheck.check("gateway.admin.api-keys (GATEWAY_ADMIN_API_KEYS)", "key", config.apiKeys(),
                SecretRules.MIN_ADMIN_KEY);
        this.keyDigests = config.apiKeys().orElse(List.of()).stream()
                .map(String::strip).filter(k -> !k.isEmpty()).map(ConstantTime::sha256).toList();
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
}
