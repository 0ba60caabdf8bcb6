package io.wagateway.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** SQL statements kept as files under {@code src/main/resources/db/}, read once at startup. */
public final class SqlFiles {

    private SqlFiles() {
    }

    /** The statement at {@code db/<path>}, without its comment lines. */
    public static String load(String path) {
        String resource = "db/" + path;
        try (InputStream in = SqlFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            return withoutCommentLines(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The statement without its header and other whole-line comments: they are for readers, and the client sends
     * the text on every parse and keys its prepared-statement cache by it (statements over the cache's SQL limit
     * are never cached, so each execution would be parsed and planned again).
     */
    public static String withoutCommentLines(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        for (String line : sql.split("\n", -1)) {
            if (!line.stripLeading().startsWith("--") && !line.isBlank()) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
