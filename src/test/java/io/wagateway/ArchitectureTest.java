package io.wagateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The structure the style guide asks for, checked on the sources: packages depend on each other one way only, and
 * the conversation tables have one writer (ConversationWrites and its statements in db/conversation/).
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/io/wagateway");
    private static final Path SQL = Path.of("src/main/resources/db");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.wagateway\\.([a-z]+)\\.");
    private static final Set<String> CONVERSATION_TABLES = Set.of("customer_profiles", "whatsapp_sessions",
            "whatsapp_messages", "whatsapp_pending_statuses", "whatsapp_deleted_messages", "whatsapp_erased_customers",
            "whatsapp_erased_messages");
    private static final Pattern SQL_WRITE = Pattern.compile(
            "(?i)\\b(insert\\s+into|update|delete\\s+from)\\s+(" + String.join("|", CONVERSATION_TABLES) + ")\\b");
    private static final Pattern PANACHE_WRITE = Pattern.compile(
            "\\.(persist|persistAndFlush|flush|delete|deleteById|deleteAll|update)\\(");
    private static final Pattern CONVERSATION_MODEL = Pattern.compile(
            "\\b(WhatsAppSession|WhatsAppMessage|CustomerProfile|SessionRepository|MessageRepository)\\b");
    private static final String WRITER = "conversation/ConversationWrites.java";

    @Test
    void noImportCycleBetweenPackages() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path file : files(MAIN, ".java")) {
            String pkg = MAIN.relativize(file).getName(0).toString();
            if (pkg.endsWith(".java")) {
                continue;
            }
            Set<String> targets = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(read(file));
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    targets.add(m.group(1));
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.add(List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.poll();
                for (String next : uses.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        cycles.add(String.join(" -> ", path) + " -> " + start);
                    } else if (seen.add(next)) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        paths.add(longer);
                    }
                }
            }
        }
        assertThat(cycles).as("package dependencies %s", uses).isEmpty();
    }

    @Test
    void onlyTheConversationWriterWritesConversationTables() {
        List<String> writers = new ArrayList<>();
        for (Path file : files(MAIN, ".java")) {
            String name = MAIN.relativize(file).toString();
            String text = read(file);
            if (name.equals(WRITER)) {
                continue;
            }
            if (SQL_WRITE.matcher(text).find()) {
                writers.add(name + " (SQL)");
            }
            if (CONVERSATION_MODEL.matcher(text).find() && PANACHE_WRITE.matcher(text).find()) {
                writers.add(name + " (Hibernate)");
            }
        }
        for (Path file : files(SQL, ".sql")) {
            String name = SQL.relativize(file).toString();
            if (!name.startsWith("conversation/") && !name.startsWith("migration/") && SQL_WRITE.matcher(read(file)).find()) {
                writers.add("db/" + name);
            }
        }
        assertThat(writers).as("writers of %s besides %s", CONVERSATION_TABLES, WRITER).isEmpty();
    }

    private static final Pattern WRITE_VERB = Pattern.compile("^\\s*@(POST|PUT|PATCH|DELETE)\\s*$");

    @Test
    void everyAdminWriteIsAudited() {
        // Every POST/PUT/PATCH/DELETE of a resource under /api/v1 carries @Audited, so no admin write skips the log.
        List<String> unaudited = new ArrayList<>();
        int writes = 0;
        for (Path file : files(MAIN, "Resource.java")) {
            String text = read(file);
            if (!text.contains("@Path(\"/api/v1/")) {
                continue;
            }
            List<String> lines = text.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (!WRITE_VERB.matcher(lines.get(i)).matches()) {
                    continue;
                }
                writes++;
                int start = i;
                while (start > 0 && !lines.get(start - 1).isBlank() && !lines.get(start - 1).strip().endsWith("}")) {
                    start--;
                }
                int end = i;
                while (end < lines.size() && !lines.get(end).strip().startsWith("public ")) {
                    end++;
                }
                if (lines.subList(start, Math.min(end + 1, lines.size())).stream()
                        .noneMatch(l -> l.strip().startsWith("@Audited("))) {
                    unaudited.add(MAIN.relativize(file) + ":" + (i + 1) + " "
                            + (end < lines.size() ? lines.get(end).strip() : ""));
                }
            }
        }
        assertThat(writes).as("admin write methods found").isGreaterThanOrEqualTo(15);
        assertThat(unaudited).as("admin writes without @Audited").isEmpty();
    }

    @Test
    void theChecksSeeWhatTheyLookFor() {
        // Guards the two checks above against passing on nothing: the writer and its statements exist and match.
        assertThat(SQL_WRITE.matcher(read(MAIN.resolve(WRITER).getParent().resolve("ConversationWrites.java")))
                .find()
                || files(SQL.resolve("conversation"), ".sql").stream().anyMatch(f -> SQL_WRITE.matcher(read(f))
                        .find()))
                .isTrue();
        assertThat(SQL_WRITE.matcher("UPDATE whatsapp_messages SET status = $2").find()).isTrue();
        assertThat(REFERENCE.matcher("import io.wagateway.conversation.InboundRow;").find()).isTrue();
    }

    private static List<Path> files(Path root, String suffix) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
