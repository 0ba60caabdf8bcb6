package io.wagateway.common;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Masks bearer tokens ({@code Bearer <token>}) and {@code access_token=<token>} parameters in every console log
 * line, plain or JSON ({@code quarkus.log.console.filter}): HTTP clients put header values into their exception
 * messages, and a Graph API access token in a log is a credential in every log store. The message is formatted
 * here once (the formatter then prints it as is); an exception whose messages hold a token is replaced by a copy
 * with masked messages and the same stack trace.
 */
@LoggingFilter(name = SecretMaskingFilter.NAME)
public final class SecretMaskingFilter implements Filter {

    public static final String NAME = "mask-secrets";
    static final String MASK = "***";

    private static final Pattern SECRET = Pattern.compile(
            "(?i)(\\bbearer\\s+|\\baccess_token=|\"access_token\"\\s*:\\s*\")([^\\s\"'&,;]+)");

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String formatted = ext.getFormattedMessage();
            if (formatted != null) {
                ext.setMessage(mask(formatted), ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        } else if (record.getMessage() != null && record.getParameters() == null) {
            record.setMessage(mask(record.getMessage()));
        }
        Throwable thrown = record.getThrown();
        if (thrown != null && holdsSecret(thrown)) {
            record.setThrown(masked(thrown, 0));
        }
        return true;
    }

    /** The text with every token replaced by {@value #MASK}; the same instance when there is none. */
    public static String mask(String text) {
        if (text == null || !mayHoldSecret(text)) {
            return text;
        }
        Matcher m = SECRET.matcher(text);
        return m.find() ? m.replaceAll("$1" + Matcher.quoteReplacement(MASK)) : text;
    }

    /** Cheap test before the regular expression: most lines hold neither word. */
    private static boolean mayHoldSecret(String text) {
        return text.indexOf("earer") >= 0 || text.indexOf("EARER") >= 0 || text.indexOf("ccess_token") >= 0;
    }

    private static boolean holdsSecret(Throwable thrown) {
        int depth = 0;
        for (Throwable t = thrown; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++) {
            String message = t.getMessage();
            if (message != null && mask(message) != message) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (holdsSecret(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable masked(Throwable original, int depth) {
        Throwable cause = original.getCause();
        MaskedThrowable copy = new MaskedThrowable(original,
                cause != null && cause != original && depth < 16 ? masked(cause, depth + 1) : null);
        copy.setStackTrace(original.getStackTrace());
        for (Throwable s : original.getSuppressed()) {
            copy.addSuppressed(masked(s, depth + 1));
        }
        return copy;
    }

    /** An exception as logged: the original's class name and masked message, its stack trace and causes. */
    static final class MaskedThrowable extends RuntimeException {

        private final String description;

        MaskedThrowable(Throwable original, Throwable maskedCause) {
            super(mask(original.getMessage()), maskedCause, true, true);
            String message = getMessage();
            this.description = message == null ? original.getClass().getName()
                    : original.getClass().getName() + ": " + message;
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
