package io.wagateway.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Drops statuses kept for messages that never appeared (sent by another tool on the same number, say) once
 * they are older than {@code gateway.whatsapp.pending-status-retention}: Meta's message TTL is 30 days.
 * Idempotent, so every replica may run it.
 */
@ApplicationScoped
public class PendingStatusJanitor {

    private static final Logger LOG = Logger.getLogger(PendingStatusJanitor.class);
    private static final long PERIOD_MS = 3_600_000L;

    private final Vertx vertx;
    private final Pool pool;
    private final WebhookConfig config;
    private long timer = -1;

    public PendingStatusJanitor(Vertx vertx, Pool pool, WebhookConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(60_000L, PERIOD_MS, id -> purge());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void purge() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.pendingStatusRetention());
        pool.preparedQuery("DELETE FROM whatsapp_pending_statuses WHERE received_at < $1").execute(Tuple.of(cutoff))
                .subscribe().with(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("Dropped %d pending status(es) older than %s", rows.rowCount(),
                                config.pendingStatusRetention());
                    }
                }, failure -> LOG.debugf("Pending status purge skipped: %s", failure.getMessage()));
    }
}
