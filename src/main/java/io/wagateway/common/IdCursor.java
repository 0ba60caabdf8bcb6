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
        String rest = payload(prefix, cursor);
        if (rest == null) {
            return null;
        }
        try {
            return Long.parseLong(rest);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    /** A place in a list ordered by an id and a position within it (newest first: the next page holds what is below). */
    public record Position(long id, long position) {
    }

    /** The cursor after the entry at {@code (id, position)}. */
    public static String encodePosition(String prefix, long id, long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((prefix + id + "." + position).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The place a cursor of {@link #encodePosition} names; null for none; a 400 problem for one this list did not give
     * out. A cursor of {@link #encode} (an id alone) names position 0 of that id: everything below the id follows.
     */
    public static Position decodePosition(String prefix, String cursor) {
        String rest = payload(prefix, cursor);
        if (rest == null) {
            return null;
        }
        try {
            int dot = rest.indexOf('.');
            long position = dot < 0 ? 0 : Long.parseLong(rest.substring(dot + 1));
            if (position >= 0) {
                return new Position(Long.parseLong(dot < 0 ? rest : rest.substring(0, dot)), position);
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw invalid();
    }

    /** What follows the prefix in a cursor; null for no cursor; a 400 problem for one of another list or not base64. */
    private static String payload(String prefix, String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!raw.startsWith(prefix)) {
            throw invalid();
        }
        return raw.substring(prefix.length());
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException(List.of(new FieldError("cursor",
                "is invalid; pass back the nextCursor of a previous page")));
    }
}
