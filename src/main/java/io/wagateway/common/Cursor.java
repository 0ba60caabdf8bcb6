package io.wagateway.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Keyset cursor: the sort key (a timestamp) and the id of the last row of a page, opaque to clients.
 * Stable under concurrent inserts, unlike an offset.
 */
public record Cursor(Instant at, UUID id) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    /** Instants a client may send (dates, cursors): what PostgreSQL's timestamptz and ISO-8601 both hold. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    public String encode() {
        String raw = at.getEpochSecond() + ":" + at.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor from a client (the {@code cursor} query parameter, see ParamConverters). */
    public static Cursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            if (!storable(at)) {
                throw new IllegalArgumentException("out of range");
            }
            return new Cursor(at, UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("is invalid; pass back the nextCursor of a previous page");
        }
    }

    /** One page of rows and the cursor of the next page (null on the last one). */
    public record Slice<T>(List<T> rows, String nextCursor) {
    }

    /**
     * Cuts {@code fetched} (queried with {@code size + 1} rows) to one page: the extra row only tells that
     * another page exists, whose cursor is the key of the page's last row.
     */
    public static <T> Slice<T> slice(List<T> fetched, int size, Function<T, Cursor> keyOf) {
        if (fetched.size() <= size) {
            return new Slice<>(fetched, null);
        }
        List<T> page = fetched.subList(0, size);
        return new Slice<>(page, keyOf.apply(page.get(size - 1)).encode());
    }

    /** True when PostgreSQL can compare a timestamp column with {@code at} (else it fails with SQLSTATE 22008). */
    public static boolean storable(Instant at) {
        return !at.isBefore(EARLIEST) && !at.isAfter(LATEST);
    }
}
