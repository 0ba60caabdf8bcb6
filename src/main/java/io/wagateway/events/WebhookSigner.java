package io.wagateway.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code webhook-signature: v1,<base64 HMAC-SHA256(key, id.timestamp.body)>}, the
 * key being the base64-decoded part of the secret after {@code whsec_}.
 */
public final class WebhookSigner {

    public static final String PREFIX = "whsec_";
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    /** Key sizes the specification allows. */
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /** A new secret: {@code whsec_} and base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key of a secret, or an {@link IllegalArgumentException} saying what is wrong with it. */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("must start with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the part after " + PREFIX + " must be base64");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("the key must be " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " bytes (base64 of 32 random bytes: openssl rand -base64 32)");
        }
        return key;
    }

    /**
     * A key ready to sign with: its HMAC is set up once and copied for each signature (a {@link Mac} is not
     * thread-safe, and looking one up and initialising it costs more than the signature of a small event).
     */
    public static final class Key {
        private final Mac prototype;

        public Key(byte[] key) {
            try {
                prototype = Mac.getInstance("HmacSHA256");
                prototype.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 unavailable", e);
            }
        }

        /** The {@code webhook-signature} value for this message, {@code body} being its UTF-8 bytes. */
        public String sign(String id, long timestampSeconds, byte[] body) {
            Mac mac;
            try {
                mac = (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("HMAC-SHA256 cannot be copied", e);
            }
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        }
    }

    /** The {@code webhook-signature} value for this message. */
    public static String sign(byte[] key, String id, long timestampSeconds, String body) {
        return new Key(key).sign(id, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
    }
}
