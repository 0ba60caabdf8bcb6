package io.wagateway.webhook;

/**
 * A payload value as it may appear in a log line: cut to a bounded length and with control characters
 * replaced, so that a delivery can neither flood the log nor forge lines in it.
 */
final class LogValue {

    static final int MAX_CHARS = 64;

    private LogValue() {
    }

    static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        int length = Math.min(text.length(), MAX_CHARS);
        if (length > 0 && Character.isHighSurrogate(text.charAt(length - 1))) {
            length--;
        }
        StringBuilder out = new StringBuilder(length + 16);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (length < text.length()) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
