package io.wagateway.security;

import java.util.List;
import java.util.Optional;

/**
 * The startup check of configured secrets: refuses a configured app secret ({@code gateway.whatsapp.app-secrets}) that is too
 * short or
 * holds whitespace or control characters: such a secret never matches Meta's signature, or is guessable.
 * Admin keys are checked by AdminKeyVerifier, the same way; the webhook's AppSecretsCheck runs this at startup.
 */
public final class ConfiguredSecretsCheck {

    private ConfiguredSecretsCheck() {
    }

    /** Checks each configured secret (edges stripped, as they are when used); the message never quotes one. */
    public static void appSecrets(Optional<List<String>> secrets) {
        check("gateway.whatsapp.app-secrets (GATEWAY_WHATSAPP_APP_SECRETS)", "secret", secrets,
                SecretRules.MIN_APP_SECRET);
    }

    static void check(String key, String noun, Optional<List<String>> values, int minLength) {
        List<String> list = values.orElse(List.of());
        for (int i = 0; i < list.size(); i++) {
            String value = list.get(i).strip();
            if (value.isEmpty()) {
                continue;
            }
            String violation = SecretRules.violation(value, minLength, false);
            if (violation != null) {
                throw new IllegalStateException(key + ": " + noun + " " + (i + 1) + " of " + list.size() + " "
                        + violation + " (at least " + minLength
                        + " characters, no whitespace or control characters; e.g. openssl rand -hex 32)");
            }
        }
    }
}
