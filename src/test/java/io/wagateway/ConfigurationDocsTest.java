package io.wagateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every configuration key is documented: each method of a {@code @ConfigMapping} interface of ours (as its kebab-case
 * key) and each key application.properties sets, found in one of the documents under docs/.
 */
class ConfigurationDocsTest {

    private static final Pattern PREFIX = Pattern.compile("@ConfigMapping\\(prefix = \"([a-z.-]+)\"\\)");
    private static final Pattern METHOD = Pattern.compile("(?m)^ {4}[A-Za-z][\\w<>, ?.]*\\s+(\\w+)\\(\\);");
    private static final Pattern PROPERTY = Pattern.compile("(?m)^(?:%[\\w,-]+\\.)?((?:gateway|quarkus)\\.[\\w.\\-\"/]+)=");

    @Test
    void everyKeyIsInTheDocuments() throws IOException {
        String docs = documents();
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher prefix = PREFIX.matcher(source);
                if (prefix.find()) {
                    Matcher method = METHOD.matcher(source);
                    while (method.find()) {
                        keys.add(prefix.group(1) + "." + kebab(method.group(1)));
                    }
                }
            }
        }
        Matcher property = PROPERTY.matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        while (property.find()) {
            keys.add(property.group(1));
        }
        assertThat(keys).as("keys found").hasSizeGreaterThan(40).contains("gateway.whatsapp.body-budget");
        TreeSet<String> missing = new TreeSet<>();
        for (String key : keys) {
            if (!docs.contains(key)) {
                missing.add(key);
            }
        }
        assertThat(missing).as("configuration keys no document under docs/ names").isEmpty();
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String documents() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("docs"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".md")).toList()) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }
}
