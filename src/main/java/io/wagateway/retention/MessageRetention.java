package io.wagateway.retention;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.wagateway.common.BoundedBatches;
import io.wagateway.common.PeriodicJob;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.ConversationWrites.ExpiredMessages;

/**
 * Drops messages older than their retention ({@code gateway.retention.messages}, or the number's override), on
 * every replica each {@code gateway.retention.interval}. Only schedules: the statement belongs to
 * {@link ConversationWrites}. One batch per statement (a short transaction of its own), until a batch comes back
 * short; concurrent runs skip each other's locked rows, so they neither wait nor count a row twice.
 */
@ApplicationScoped
public class MessageRetention {

    private static final Logger LOG = Logger.getLogger(MessageRetention.class);
    /** Statements per run; what is left waits for the next run. */
    static final int MAX_BATCHES = 1000;

    private final Vertx vertx;
    private final Pool pool;
    private final RetentionConfig config;
    private final ConversationWrites writes;
    private final Counter deletedMessages;
    private final Counter deletedPendingStatuses;
    private PeriodicJob job;

    public MessageRetention(Vertx vertx, Pool pool, RetentionConfig config, ConversationWrites writes,
            MeterRegistry registry) {
        this.vertx = vertx;
        this.pool = pool;
        this.config = config;
        this.writes = writes;
        // Label values from a fixed set: the tables the job deletes from.
        this.deletedMessages = Counter.builder("gateway.retention.deleted").tag("table", "whatsapp_messages")
                .description("Rows dropped by the retention job").register(registry);
        this.deletedPendingStatuses = Counter.builder("gateway.retention.deleted")
                .tag("table", "whatsapp_pending_statuses").description("Rows dropped by the retention job")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        long period = config.interval().toMillis();
        job = PeriodicJob.start(vertx, Math.min(60_000L, period), period, this::run, dropped -> {
            if (dropped > 0) {
                LOG.infof("Retention dropped %d message(s)", dropped);
            }
        }, failure -> LOG.warnf("Message retention run failed: %s", failure.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /** One run: batches until one comes back short (or the per-run bound); how many messages were dropped. */
    public Uni<Long> run() {
        return run(config.messages().orElse(null), config.batchSize());
    }

    /** A run with this default retention (null: overrides only) and batch size. */
    Uni<Long> run(Duration defaultRetention, int batchSize) {
        return BoundedBatches.untilShort(() -> writes.purgeExpiredMessages(pool, defaultRetention, batchSize)
                .invoke(this::count).map(ExpiredMessages::messages), batchSize, MAX_BATCHES);
    }

    private void count(ExpiredMessages expired) {
        deletedMessages.increment(expired.messages());
        deletedPendingStatuses.increment(expired.pendingStatuses());
    }
}
