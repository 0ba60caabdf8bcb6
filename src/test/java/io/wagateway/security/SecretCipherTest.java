package io.wagateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.wagateway.support.V1Ciphertext;

class SecretCipherTest {

    private static final String OLD = "old:b2xkLXRlc3Qtb25seS1pbnNlY3VyZS1rZXktMDEyMzQ=";
    private static final String NEW = "new:dGVzdC1vbmx5LWluc2VjdXJlLWtleS0wMTIzNDU2Nzg=";
    private static final UUID ROW = UUID.fromString("6f1c1b52-3c43-4d0e-9a57-3a8b1e0c2d11");
    private static final UUID OTHER_ROW = UUID.fromString("0b0e8a4e-9d7f-4f5c-8a33-5c2d9e1f7a60");

    private static SecretCipher cipher(String... keys) {
        return new SecretCipher(() -> Optional.of(List.of(keys)));
    }

    @Test
    void roundTripsAndNeverStoresPlaintext() {
        SecretCipher cipher = cipher(NEW);
        String stored = cipher.encrypt("EAAG-secret-token", "access_token", ROW);
        assertThat(stored).startsWith("v2:new:").doesNotContain("EAAG-secret-token");
        assertThat(cipher.decrypt(stored, "access_token", ROW)).isEqualTo("EAAG-secret-token");
        assertThat(cipher.isCurrent(stored)).isTrue();
        // A fresh IV every time: equal secrets do not give equal ciphertexts.
        assertThat(cipher.encrypt("EAAG-secret-token", "access_token", ROW)).isNotEqualTo(stored);
    }

    @Test
    void rowsWrittenUnderAnOldKeyDecryptAfterRotation() {
        String stored = cipher(OLD).encrypt("token-from-2025", "access_token", ROW);
        SecretCipher rotated = cipher(NEW, OLD);
        assertThat(rotated.decrypt(stored, "access_token", ROW)).isEqualTo("token-from-2025");
        assertThat(rotated.isCurrent(stored)).isFalse();
        assertThat(rotated.encrypt("x", "access_token", ROW)).startsWith("v2:new:");
    }

    @Test
    void valuesOfTheFormatBeforeRowBindingStillDecryptAndAreNotCurrent() {
        String v1 = V1Ciphertext.encrypt(OLD, "token-from-v1", "access_token");
        SecretCipher cipher = cipher(NEW, OLD);
        assertThat(cipher.decrypt(v1, "access_token", ROW)).isEqualTo("token-from-v1");
        assertThat(cipher.isCurrent(v1)).isFalse();
        assertThatThrownBy(() -> cipher.decrypt(v1, "api_key", ROW)).isInstanceOf(IllegalStateException.class);
        // A v2 body relabelled v1 does not decrypt either: the version is part of the associated data.
        String v2 = cipher.encrypt("secret", "access_token", ROW);
        assertThatThrownBy(() -> cipher.decrypt("v1" + v2.substring(2), "access_token", ROW))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesCiphertextMovedToAnotherColumnOrAnotherRowOrTampered() {
        SecretCipher cipher = cipher(NEW);
        String stored = cipher.encrypt("secret", "access_token", ROW);
        assertThatThrownBy(() -> cipher.decrypt(stored, "api_key", ROW)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cipher.decrypt(stored, "access_token", OTHER_ROW))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(OTHER_ROW.toString());
        String tampered = stored.substring(0, stored.length() - 4) + (stored.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> cipher.decrypt(tampered, "access_token", ROW)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unknownKeyIdIsAnActionableError() {
        String stored = cipher(OLD).encrypt("secret", "access_token", ROW);
        assertThatThrownBy(() -> cipher(NEW).decrypt(stored, "access_token", ROW))
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
