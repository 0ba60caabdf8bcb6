package io.wagateway.webhook.payload;

/**
 * The values an item is stored and looked up under (wamid, sender, wa_id, status id, recipient) go into
 * PostgreSQL's unique btree indexes, which refuse an entry past a size in bytes, not characters. A key over
 * {@link #MAX_BYTES} of UTF-8 is not storable: such an item is acknowledged and counted, never retried for
 * ever. Meta's keys are far shorter.
 */
public final class Keys {

    /** Longest key stored, in UTF-8 bytes: well under the btree limit, even beside a second key column. */
    public static final int MAX_BYTES = 1024;

    private Keys() {
    }

    /** True when {@code key} is absent or at most {@link #MAX_BYTES} bytes of UTF-8. */
    public static boolean fits(String key) {
        // No char takes more than three bytes (a surrogate pair is four for two chars): short keys need no count.
        return key == null || key.length() * 3 <= MAX_BYTES || utf8Length(key) <= MAX_BYTES;
    }

    /** Bytes of {@code s} in UTF-8, counted without encoding; a lone surrogate counts as three. */
    public static int utf8Length(CharSequence s) {
        int bytes = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
