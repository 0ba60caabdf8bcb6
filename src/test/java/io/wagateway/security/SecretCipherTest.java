package io.wagateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String OLD = "old:b2xkLXRlc3Qtb25seS1pbnNlY3VyZS1rZXktMDEyMzQ=";
    private static final String NEW = "new:dGVzdC1vbmx5LWluc2VjdXJlLWtleS0wMTIzNDU2Nzg=";

    private static SecretCipher cipher(String... keys) {
        return new SecretCipher(() -> Optional.of(List.of(keys)));
    }

    @Test
    void roundTripsAndNeverStoresPlaintext() {
        SecretCipher cipher = cipher(NEW);
        String stored = cipher.encrypt("EAAG-secret-token", "access_token");
        assertThat(stored).startsWith("v1:new:").doesNotContain("EAAG-secret-token");
        assertThat(cipher.decrypt(stored, "access_token")).isEqualTo("EAAG-secret-token");
        // A fresh IV every time: equal secrets do not give equal ciphertexts.
        assertThat(cipher.encrypt("EAAG-secret-token", "access_token")).isNotEqualTo(stored);
    }

    @Test
    void rowsWrittenUnderAnOldKeyDecryptAfterRotation() {
        String stored = cipher(OLD).encrypt("token-from-2025", "access_token");
        SecretCipher rotated = cipher(NEW, OLD);
        assertThat(rotated.decrypt(stored, "access_token")).isEqualTo("token-from-2025");
        assertThat(rotated.encrypt("x", "access_token")).startsWith("v1:new:");
    }

    @Test
    void refusesCiphertextMovedToAnotherColumnOrTampered() {
        SecretCipher cipher = cipher(NEW);
        String stored = cipher.encrypt("secret", "access_token");
        assertThatThrownBy(() -> cipher.decrypt(stored, "api_key")).isInstanceOf(IllegalStateException.class);
        String tampered = stored.substring(0, stored.length() - 4) + (stored.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> cipher.decrypt(tampered, "access_token")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unknownKeyIdIsAnActionableError() {
        String stored = cipher(OLD).encrypt("secret", "access_token");
        assertThatThrownBy(() -> cipher(NEW).decrypt(stored, "access_token"))
                .hasMessageContaining("'old'").hasMessageContaining("gateway.encryption.keys");
    }

    @Test
    void startupFailsClearlyWithoutOrWithBadKeys() {
        assertThatThrownBy(() -> new SecretCipher(Optional::empty)).hasMessageContaining("GATEWAY_ENCRYPTION_KEYS");
        assertThatThrownBy(() -> cipher("short:c2hvcnQ=")).hasMessageContaining("32");
        assertThatThrownBy(() -> cipher("nocolon")).hasMessageContaining("id:base64");
        assertThatThrownBy(() -> cipher(NEW, NEW)).hasMessageContaining("twice");
    }
}
