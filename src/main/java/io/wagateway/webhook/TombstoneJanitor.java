package io.wagateway.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Purges the tombstones of deleted conversations (wamids, customers' deletion times) once they are older than
 * {@code gateway.whatsapp.stale-after}: any message they would refuse is then older than the retry horizon and
 * refused as stale without them. One period of slack on top covers clocks that differ between replicas. Bounded
 * batches, each its own short statement, so a large purge never holds many row locks or one long transaction.
 * Idempotent, so every replica may run it.
 */
@ApplicationScoped
public class TombstoneJanitor {

    private static final Logger LOG = Logger.getLogger(TombstoneJanitor.class);
    private static final Duration PERIOD = Duration.ofHours(1);
    static final int BATCH = 1000;

    private static final String PURGE_MESSAGES = """
            DELETE FROM whatsapp_deleted_messages WHERE message_id IN (
                SELECT message_id FROM whatsapp_deleted_messages WHERE deleted_at < $1
                ORDER BY deleted_at LIMIT $2 FOR UPDATE SKIP LOCKED)""";
    private static final String PURGE_CUSTOMERS = """
            UPDATE customer_profiles SET conversation_deleted_at = NULL WHERE id IN (
                SELECT id FROM customer_profiles WHERE conversation_deleted_at < $1
                ORDER BY conversation_deleted_at LIMIT $2 FOR UPDATE SKIP LOCKED)""";

    private final Vertx vertx;
    private final Pool pool;
    private final WebhookConfig config;
    private long timer = -1;

    public TombstoneJanitor(Vertx vertx, Pool pool, WebhookConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(90_000L, PERIOD.toMillis(), id -> purge(BATCH).subscribe().with(purged -> {
            if (purged > 0) {
                LOG.infof("Purged %d tombstone(s) of deleted conversations older than %s", purged,
                        config.staleAfter());
            }
        }, failure -> LOG.debugf("Tombstone purge skipped: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Purges every tombstone past the horizon, {@code batchSize} rows per statement; returns how many. */
    Uni<Long> purge(int batchSize) {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.staleAfter()).minus(PERIOD);
        return drain(PURGE_MESSAGES, cutoff, batchSize, 0)
                .flatMap(messages -> drain(PURGE_CUSTOMERS, cutoff, batchSize, messages));
    }

    private Uni<Long> drain(String sql, OffsetDateTime cutoff, int batchSize, long purged) {
        return pool.preparedQuery(sql).execute(Tuple.of(cutoff, batchSize)).flatMap(rows -> rows.rowCount() < batchSize
                ? Uni.createFrom().item(purged + rows.rowCount())
                : drain(sql, cutoff, batchSize, purged + rows.rowCount()));
    }
}
