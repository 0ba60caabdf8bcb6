package io.wagateway.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets as releases before the row-bound format stored them ({@code v1:<key id>:<base64(iv|ciphertext|tag)>},
 * only the column bound as associated data), written independently of SecretCipher so the tests prove that rows
 * of those releases still decrypt.
 */
public final class V1Ciphertext {

    private V1Ciphertext() {
    }

    /** {@code keyEntry} is {@code id:base64(32 bytes)} as in gateway.encryption.keys. */
    public static String encrypt(String keyEntry, String plaintext, String column) {
        int colon = keyEntry.indexOf(':');
        String id = keyEntry.substring(0, colon);
        byte[] key = Base64.getDecoder().decode(keyEntry.substring(colon + 1));
        try {
            byte[] iv = new byte[12];
            new SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(("v1:" + id + ":" + column).getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return "v1:" + id + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
