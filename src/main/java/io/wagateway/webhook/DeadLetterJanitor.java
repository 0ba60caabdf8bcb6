package io.wagateway.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Drops dead letters (items PostgreSQL refused for their data) once they are older than
 * {@code gateway.whatsapp.dead-letter-retention}, oldest first and in bounded batches, so that a large backlog
 * never becomes one long delete. Idempotent, so every replica may run it.
 */
@ApplicationScoped
public class DeadLetterJanitor {

    private static final Logger LOG = Logger.getLogger(DeadLetterJanitor.class);
    private static final long PERIOD_MS = 3_600_000L;
    /** Rows per delete statement. */
    static final int BATCH = 1000;
    /** Statements per run; what is left waits for the next run. */
    static final int MAX_BATCHES = 100;
    private static final String DELETE = """
            DELETE FROM whatsapp_dead_letters WHERE id IN (
                SELECT id FROM whatsapp_dead_letters WHERE received_at < $1 ORDER BY received_at LIMIT $2)""";

    private final Vertx vertx;
    private final Pool pool;
    private final WebhookConfig config;
    private long timer = -1;

    public DeadLetterJanitor(Vertx vertx, Pool pool, WebhookConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(90_000L, PERIOD_MS, id -> purge().subscribe().with(deleted -> {
            if (deleted > 0) {
                LOG.infof("Dropped %d dead letter(s) older than %s", deleted, config.deadLetterRetention());
            }
        }, failure -> LOG.debugf("Dead letter purge skipped: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Deletes the dead letters past the retention; the number deleted. */
    Uni<Long> purge() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.deadLetterRetention());
        return batch(cutoff, 0, 0L);
    }

    private Uni<Long> batch(OffsetDateTime cutoff, int round, long deleted) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(cutoff, BATCH)).chain(rows -> {
            long total = deleted + rows.rowCount();
            return rows.rowCount() < BATCH || round + 1 >= MAX_BATCHES ? Uni.createFrom().item(total)
                    : batch(cutoff, round + 1, total);
        });
    }
}
