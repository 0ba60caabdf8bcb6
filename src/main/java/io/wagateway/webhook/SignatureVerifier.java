package io.wagateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.wagateway.security.ConstantTime;

/**
 * Checks {@code X-Hub-Signature-256: sha256=<hex>} = HMAC-SHA256(app secret, raw body) in constant time
 * against every given app secret (several Meta apps may subscribe to one number).
 */
public final class SignatureVerifier {

    private static final String PREFIX = "sha256=";
    private static final int DIGEST_BYTES = 32;

    private SignatureVerifier() {
    }

    /** True when the header is a well-formed signature of {@code body} under one of {@code secrets}. */
    public static boolean verify(byte[] body, String header, List<byte[]> secrets) {
        return indexOf(body, header, secrets) >= 0;
    }

    /** Index of the secret {@code body} is signed with, or -1 (also for a malformed header). */
    public static int indexOf(byte[] body, String header, List<byte[]> secrets) {
        byte[] presented = parse(header);
        if (presented == null) {
            return -1;
        }
        // Every secret's HMAC is computed and compared: the time taken does not tell which one matched.
        List<byte[]> expected = new ArrayList<>(secrets.size());
        for (byte[] secret : secrets) {
            expected.add(hmac(secret, body));
        }
        return ConstantTime.indexOf(presented, expected);
    }

    /** The signature bytes of a well-formed header, else null. */
    static byte[] parse(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || value.length() != PREFIX.length() + 2 * DIGEST_BYTES) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(value, PREFIX.length(), value.length());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** One Mac per thread: Mac.getInstance looks up the provider each time, which costs more than the HMAC. */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });

    public static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 key rejected", e);
        }
    }

    /** The header value Meta would send for {@code body} signed with {@code secret}. */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }
}
