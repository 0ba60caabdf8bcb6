package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;

/**
 * The pool the service writes with keeps even long statements prepared on their connection (the ingest
 * statements are long: parsing and planning them on every execution costs PostgreSQL more than running them),
 * and the statements are sent without their comment headers.
 */
@QuarkusTest
class BoundedPoolCreatorTest {

    @Inject
    Pool pool;

    @Test
    void longPreparedQueriesAreCachedOnTheirConnection() {
        // longer than the client's default limit for cached statement text
        String sql = "select 40 + $1::int /*" + "x".repeat(3000) + "*/";
        long prepared = pool.withConnection(connection -> connection.preparedQuery(sql).execute(Tuple.of(2))
                .chain(() -> connection.preparedQuery("select count(*) from pg_prepared_statements where statement = $1")
                        .execute(Tuple.of(sql)))
                .map(rows -> rows.iterator().next().getLong(0)))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(prepared).isEqualTo(1);
    }

    @Test
    void statementsAreSentWithoutTheirCommentLines() {
        String sql = SqlFiles.withoutCommentLines("-- header\n  -- more\nSELECT 1 -- kept\n\nFROM t\n");
        assertThat(sql).isEqualTo("SELECT 1 -- kept\nFROM t\n");
    }
}
