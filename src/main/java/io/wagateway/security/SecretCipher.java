package io.wagateway.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

/**
 * AES-256-GCM encryption of secrets at rest. Stored form: {@code v2:<key id>:<base64(iv | ciphertext+tag)>};
 * the key id travels with the ciphertext so that keys can rotate, and the column name and the row id are bound
 * in as associated data so a ciphertext cannot be moved to another column or another row. {@code v1} values
 * (column only, written by earlier releases) still decrypt; their rows are re-encrypted on their next write.
 */
@Startup
@ApplicationScoped
public class SecretCipher {

    private static final String PREFIX = "v2";
    private static final String V1 = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String currentKeyId;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(EncryptionConfig config) {
        List<String> entries = config.keys().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .toList();
        if (entries.isEmpty()) {
            throw new IllegalStateException("No encryption key configured. Set GATEWAY_ENCRYPTION_KEYS "
                    + "(gateway.encryption.keys) to 'id:base64-of-32-random-bytes', e.g. "
                    + "GATEWAY_ENCRYPTION_KEYS=k1:$(openssl rand -base64 32)");
        }
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalStateException("gateway.encryption.keys: entry '" + redact(entry)
                        + "' is not 'id:base64(32 bytes)'");
            }
            String id = entry.substring(0, colon);
            if (!id.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalStateException("gateway.encryption.keys: key id '" + id
                        + "' may only contain letters, digits, '_', '.', '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("gateway.encryption.keys: key '" + id + "' is not valid base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException("gateway.encryption.keys: key '" + id + "' has " + key.length
                        + " bytes, AES-256 needs exactly 32 (openssl rand -base64 32)");
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalStateException("gateway.encryption.keys: key id '" + id + "' appears twice");
            }
        }
        this.currentKeyId = keys.keySet().iterator().next();
    }

    /** Encrypts {@code plaintext} for the given column of the given row; null stays null. */
    public String encrypt(String plaintext, String column, UUID rowId) {
        if (plaintext == null) {
            return null;
        }
        Objects.requireNonNull(rowId, "rowId");
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(PREFIX, currentKeyId, column, rowId));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Decrypts a value written by {@link #encrypt} (or a v1 value) for this column of this row; null stays null. */
    public String decrypt(String stored, String column, UUID rowId) {
        if (stored == null) {
            return null;
        }
        Objects.requireNonNull(rowId, "rowId");
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !(PREFIX.equals(parts[0]) || V1.equals(parts[0]))) {
            throw new IllegalStateException("Stored secret in column " + column + " is not in the encrypted format");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("Stored secret in column " + column + " was encrypted with key '"
                    + parts[1] + "', which is not in gateway.encryption.keys; add it back to decrypt");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(aad(parts[0], parts[1], column, rowId));
            byte[] plain = cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Stored secret in column " + column + " of row " + rowId
                    + " failed to decrypt (wrong key, tampered, or copied from another row or column)");
        }
    }

    /** Id of the key that encrypts new writes. */
    public String currentKeyId() {
        return currentKeyId;
    }

    /** True when {@code stored} is in the current format under the current key (null: nothing to rewrite). */
    public boolean isCurrent(String stored) {
        return stored == null || stored.startsWith(PREFIX + ":" + currentKeyId + ":");
    }

    /** v1 bound the column only; v2 binds the column and the row id. */
    private static byte[] aad(String version, String keyId, String column, UUID rowId) {
        String bound = V1.equals(version) ? V1 + ":" + keyId + ":" + column
                : version + ":" + keyId + ":" + column + ":" + rowId;
        return bound.getBytes(StandardCharsets.UTF_8);
    }

    private static String redact(String entry) {
        int colon = entry.indexOf(':');
        return colon > 0 ? entry.substring(0, colon) + ":***" : "***";
    }
}
