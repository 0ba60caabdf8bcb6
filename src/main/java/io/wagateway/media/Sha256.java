package io.wagateway.media;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 digests and the two spellings Meta uses for them (hex from the media endpoint, base64 in webhooks). */
final class Sha256 {

    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** A hash as lower-case hex, from hex or (standard or URL-safe) base64; null when it is neither. */
    static String normalize(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.length() == 64 && v.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return v.toLowerCase(Locale.ROOT);
        }
        try {
            byte[] bytes = v.contains("-") || v.contains("_") ? Base64.getUrlDecoder().decode(v)
                    : Base64.getDecoder().decode(v);
            return bytes.length == 32 ? hex(bytes) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
