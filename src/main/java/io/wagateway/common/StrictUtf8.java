package io.wagateway.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;

/**
 * Refuses JSON input that is not well-formed UTF-8 (RFC 3629): overlong forms (such as {@code C0 80} for U+0000),
 * surrogates and code points above U+10FFFF, which Jackson's own decoder lets through. Installed on the
 * application's JsonFactory, so admin bodies and webhook deliveries are checked alike; byte arrays (the webhook)
 * are checked in place, without a copy.
 */
public final class StrictUtf8 extends InputDecorator {

    private static final long serialVersionUID = 1L;

    @Override
    public InputStream decorate(IOContext ctxt, InputStream in) throws IOException {
        // Streams are the REST layer's bodies (bounded by quarkus.http.limits.max-body-size) and Graph API answers:
        // read and checked before parsing, so that a failure is reported as such and not as a binding error.
        byte[] bytes = in.readAllBytes();
        decorate(ctxt, bytes, 0, bytes.length);
        return new java.io.ByteArrayInputStream(bytes);
    }

    @Override
    public InputStream decorate(IOContext ctxt, byte[] src, int offset, int length) throws IOException {
        Decoder decoder = new Decoder();
        decoder.accept(src, offset, length);
        decoder.end();
        return null; // valid: Jackson parses the array itself
    }

    @Override
    public Reader decorate(IOContext ctxt, Reader r) {
        return r; // already characters
    }

    /** Input that is not well-formed UTF-8. */
    public static final class InvalidUtf8Exception extends JsonParseException {
        private static final long serialVersionUID = 1L;

        InvalidUtf8Exception(String message) {
            super((JsonParser) null, message);
        }
    }

    /** The invalid UTF-8 among a failure's causes, if any (Jackson wraps it while binding a field). */
    public static InvalidUtf8Exception find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidUtf8Exception invalid) {
                return invalid;
            }
        }
        return null;
    }

    /** Validates byte by byte, keeping its state across buffers. */
    static final class Decoder {
        private int pending; // continuation bytes still expected
        private int lower = 0x80; // bounds of the next continuation byte
        private int upper = 0xBF;
        private long position;

        void accept(byte[] b, int off, int len) throws InvalidUtf8Exception {
            int end = off + len;
            int i = off;
            if (pending == 0) {
                // ASCII fast path: JSON is mostly ASCII
                while (i < end && b[i] >= 0) {
                    i++;
                }
            }
            for (; i < end; i++) {
                int c = b[i] & 0xFF;
                if (pending > 0) {
                    if (c < lower || c > upper) {
                        throw invalid(position + i - off);
                    }
                    lower = 0x80;
                    upper = 0xBF;
                    pending--;
                } else if (c >= 0x80) {
                    if (c >= 0xC2 && c <= 0xDF) {
                        pending = 1;
                    } else if (c >= 0xE0 && c <= 0xEF) {
                        pending = 2;
                        lower = c == 0xE0 ? 0xA0 : 0x80;
                        upper = c == 0xED ? 0x9F : 0xBF;
                    } else if (c >= 0xF0 && c <= 0xF4) {
                        pending = 3;
                        lower = c == 0xF0 ? 0x90 : 0x80;
                        upper = c == 0xF4 ? 0x8F : 0xBF;
                    } else {
                        throw invalid(position + i - off);
                    }
                }
            }
            position += len;
        }

        void end() throws InvalidUtf8Exception {
            if (pending > 0) {
                throw invalid(position);
            }
        }

        private static InvalidUtf8Exception invalid(long at) {
            return new InvalidUtf8Exception("Invalid UTF-8 at byte " + at
                    + " (overlong form, surrogate, code point above U+10FFFF or truncated sequence)");
        }
    }
}
