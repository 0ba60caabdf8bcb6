package io.wagateway.media;

/** One HTTP byte range ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) against a file's size. */
final class ByteRange {

    /** The answer for a range that selects nothing (416). */
    static final long[] UNSATISFIABLE = new long[0];

    private ByteRange() {
    }

    /**
     * {from, to} (inclusive) for a satisfiable single range, {@link #UNSATISFIABLE}, or null when the header is not
     * one byte range (several ranges, another unit, malformed): then the whole file is served, as HTTP allows.
     */
    static long[] parse(String header, long size) {
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        if (!first.matches("\\d{0,18}") || !last.matches("\\d{0,18}") || (first.isEmpty() && last.isEmpty())) {
            return null;
        }
        if (first.isEmpty()) {
            long suffix = Long.parseLong(last);
            if (suffix == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new long[] { Math.max(0, size - suffix), size - 1 };
        }
        long from = Long.parseLong(first);
        long to = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
        if (!last.isEmpty() && Long.parseLong(last) < from) {
            return null;
        }
        if (from >= size) {
            return UNSATISFIABLE;
        }
        return new long[] { from, to };
    }
}
