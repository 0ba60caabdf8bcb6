package io.wagateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.wagateway.common.SqlFiles;

/** What the service's own connections to PostgreSQL are set up with. */
@QuarkusTest
class PoolSessionSettingsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Test
    void theServicesConnectionsRunWithoutJit() {
        Row row = pool.query("SHOW jit").execute().await().atMost(WAIT).iterator().next();
        assertThat(row.getString(0)).isEqualTo("off");
        // the backlog metric's statement, whose estimate is high enough for PostgreSQL to compile it on every call
        // with the JIT on, is planned without it
        String plan = pool.query("EXPLAIN (FORMAT JSON, ANALYZE, COSTS OFF) " + SqlFiles.load("events/backlog.sql"))
                .execute().await().atMost(WAIT).iterator().next().getValue(0).toString();
        assertThat(plan).doesNotContain("\"JIT\"");
    }
}
