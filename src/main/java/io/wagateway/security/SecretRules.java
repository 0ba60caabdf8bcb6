package io.wagateway.security;

/**
 * What a secret must look like before it is stored or configured: long enough not to be guessed and free of
 * whitespace and control characters (a pasted trailing newline makes a token unusable as an HTTP header and
 * a signature key that never matches). One place for the rules, so the admin API, startup checks and docs agree.
 */
public final class SecretRules {

    /** Meta app secrets are 32 hex characters. */
    public static final int MIN_APP_SECRET = 32;
    /** Admin API keys: as long as an app secret; {@code openssl rand -base64 32} gives 44. */
    public static final int MIN_ADMIN_KEY = 32;
    /** Webhook verify tokens: chosen by the operator, sent by Meta in the handshake's query string. */
    public static final int MIN_VERIFY_TOKEN = 16;

    private SecretRules() {
    }

    /**
     * What is wrong with {@code value} as a secret of at least {@code minLength} characters, or null when nothing
     * is. {@code asciiOnly} also refuses characters outside visible ASCII (values sent in an HTTP header).
     * The answer never quotes the value.
     */
    public static String violation(String value, int minLength, boolean asciiOnly) {
        for (int i = 0; i < value.length();) {
            int c = value.codePointAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.SURROGATE) {
                return "must not contain control characters (or whitespace)";
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return "must not contain whitespace (or control characters)";
            }
            if (asciiOnly && c > 0x7e) {
                return "must contain only visible ASCII characters";
            }
            i += Character.charCount(c);
        }
        if (value.codePointCount(0, value.length()) < minLength) {
            return "must be at least " + minLength + " characters";
        }
        return null;
    }
}
