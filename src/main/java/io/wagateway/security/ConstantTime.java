package io.wagateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Comparisons of secrets that take the same time whichever (or whether any) candidate matches: admin keys,
 * webhook verify tokens and signatures all go through here.
 */
public final class ConstantTime {

    private ConstantTime() {
    }

    /** SHA-256 of a secret: equal-length digests for {@link #indexOf}, so a secret's length leaks nothing either. */
    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Index of the first candidate equal to {@code value}, or -1; every candidate is compared (no early exit). */
    public static int indexOf(byte[] value, List<byte[]> candidates) {
        int found = -1;
        for (int i = 0; i < candidates.size(); i++) {
            if (MessageDigest.isEqual(value, candidates.get(i)) && found < 0) {
                found = i;
            }
        }
        return found;
    }
}
