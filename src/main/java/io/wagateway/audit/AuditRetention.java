package io.wagateway.audit;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.wagateway.common.BoundedBatches;
import io.wagateway.common.PeriodicJob;

/**
 * Drops audit entries older than {@code gateway.audit.retention}, on every replica each
 * {@code gateway.audit.retention-interval}, in bounded batches (each a short statement of its own); concurrent runs
 * skip each other's locked rows, so they neither wait nor count a row twice.
 */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    /** Statements per run; what is left waits for the next run. */
    static final int MAX_BATCHES = 1000;

    private final Vertx vertx;
    private final AuditLog log;
    private final AuditConfig config;
    private PeriodicJob job;

    public AuditRetention(Vertx vertx, AuditLog log, AuditConfig config) {
        this.vertx = vertx;
        this.log = log;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        long period = config.retentionInterval().toMillis();
        job = PeriodicJob.start(vertx, Math.min(60_000L, period), period, this::run, dropped -> {
            if (dropped > 0) {
                LOG.infof("Audit retention dropped %d entr(ies)", dropped);
            }
        }, failure -> LOG.warnf("Audit retention run failed: %s", failure.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /** One run: batches until one comes back short (or the per-run bound); how many entries were dropped. */
    public Uni<Long> run() {
        return run(Instant.now().minus(config.retention()), config.retentionBatchSize());
    }

    /** A run dropping the entries before {@code cutoff}, {@code batchSize} per statement. */
    Uni<Long> run(Instant cutoff, int batchSize) {
        return BoundedBatches.untilShort(() -> log.purge(cutoff, batchSize), batchSize, MAX_BATCHES);
    }
}
