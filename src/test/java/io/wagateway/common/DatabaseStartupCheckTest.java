package io.wagateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseStartupCheckTest {

    private static final String URL = "jdbc:postgresql://localhost:5433/shop";

    @Test
    void noServerSaysHowToStartOne() {
        // 08001: the driver could not connect (connection refused, unknown host)
        assertThat(DatabaseStartupCheck.advice("08001", URL)).startsWith("No PostgreSQL answers at " + URL + ".")
                .contains("./mvnw -q test-compile exec:java@dev-db").doesNotContain("\n");
    }

    @Test
    void aMissingDatabaseSaysHowToCreateIt() {
        assertThat(DatabaseStartupCheck.advice("3D000", URL)).contains("`createdb -h localhost -p 5433 -U postgres shop`")
                .doesNotContain("\n");
        assertThat(DatabaseStartupCheck.createdb("jdbc:postgresql://db.internal/whatsapp_gateway?sslmode=require"))
                .isEqualTo("createdb -h db.internal -U postgres whatsapp_gateway");
    }

    @Test
    void otherFailuresAreLeftToFlyway() {
        // 28P01: wrong password; a person needs PostgreSQL's own message for it
        assertThat(DatabaseStartupCheck.advice("28P01", URL)).isNull();
        assertThat(DatabaseStartupCheck.advice(null, URL)).isNull();
    }
}
