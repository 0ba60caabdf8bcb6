package io.wagateway.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The opaque cursor of a list paged by one increasing id (newest first: the next page holds ids below it): the
 * base64url of a kind prefix and the id, so a cursor of one list is refused by another.
 */
public final class IdCursor {

    private IdCursor() {
    }

    /** The cursor after the row with {@code id}. */
    public static String encode(String prefix, long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((prefix + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The id a cursor names; null for none; a 400 problem for one this list did not give out. */
    public static Long decode(String prefix, String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            if (raw.startsWith(prefix)) {
                return Long.parseLong(raw.substring(prefix.length()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem below
        }
        throw new InvalidInputException(List.of(new FieldError("cursor",
                "is invalid; pass back the nextCursor of a previous page")));
    }
}
