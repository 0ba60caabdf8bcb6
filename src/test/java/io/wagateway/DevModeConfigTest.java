package io.wagateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Dev mode finds its database like psql does (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD), for the reactive
 * pool and for Flyway's JDBC connection; prod keeps its documented keys. application.properties read as Quarkus
 * reads it, the environment given as a config source.
 */
class DevModeConfigTest {

    @Test
    void devModeUsesTheLibpqVariables() throws IOException {
        SmallRyeConfig config = config("dev", Map.of("PGHOST", "db.internal", "PGPORT", "6543", "PGDATABASE", "shop",
                "PGUSER", "alice", "PGPASSWORD", "s3cret-password"));

        assertThat(config.getValue("quarkus.datasource.reactive.url", String.class))
                .isEqualTo("postgresql://db.internal:6543/shop");
        assertThat(config.getValue("quarkus.datasource.jdbc.url", String.class))
                .isEqualTo("jdbc:postgresql://db.internal:6543/shop");
        assertThat(config.getValue("quarkus.datasource.username", String.class)).isEqualTo("alice");
        assertThat(config.getValue("quarkus.datasource.password", String.class)).isEqualTo("s3cret-password");
    }

    @Test
    void withoutThemDevModeUsesTheLocalServerAndSendsNoPassword() throws IOException {
        SmallRyeConfig config = config("dev", Map.of("PGPASSWORD", ""));

        assertThat(config.getValue("quarkus.datasource.reactive.url", String.class))
                .isEqualTo("postgresql://localhost:5432/whatsapp_gateway");
        assertThat(config.getValue("quarkus.datasource.jdbc.url", String.class))
                .isEqualTo("jdbc:postgresql://localhost:5432/whatsapp_gateway");
        assertThat(config.getValue("quarkus.datasource.username", String.class)).isEqualTo("postgres");
        assertThat(config.getOptionalValue("quarkus.datasource.password", String.class)).isEmpty();
    }

    @Test
    void devModeSendsToTheSandboxAndProdIgnoresTheLibpqVariables() throws IOException {
        assertThat(config("dev", Map.of()).getValue("gateway.graph.base-url", String.class))
                .isEqualTo("http://localhost:8080/dev/graph");

        SmallRyeConfig prod = config("prod", Map.of("PGHOST", "db.internal", "PGUSER", "alice", "PGPASSWORD", "x"));
        assertThat(prod.getOptionalValue("quarkus.datasource.reactive.url", String.class)).isEmpty();
        assertThat(prod.getOptionalValue("quarkus.datasource.username", String.class)).isEmpty();
        assertThat(prod.getOptionalValue("quarkus.datasource.password", String.class)).isEmpty();
        assertThat(prod.getValue("gateway.graph.base-url", String.class)).isEqualTo("https://graph.facebook.com");
        assertThat(prod.getOptionalValue("gateway.graph-sandbox.enabled", Boolean.class)).isEmpty();
    }

    private static SmallRyeConfig config(String profile, Map<String, String> environment) throws IOException {
        URL properties = DevModeConfigTest.class.getResource("/application.properties");
        return new SmallRyeConfigBuilder().withProfile(profile)
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300)).build();
    }
}
