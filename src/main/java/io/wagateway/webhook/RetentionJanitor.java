package io.wagateway.webhook;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.wagateway.common.BoundedBatches;
import io.wagateway.conversation.ConversationWrites;

/**
 * Drops what the webhook keeps only for a while, once an hour on every replica (idempotent): statuses kept for
 * messages that never appeared ({@code pending-status-retention}), dead letters ({@code dead-letter-retention})
 * and the tombstones of deleted conversations and erased customers ({@code stale-after} plus one period, for clocks that differ
 * between replicas: any message a purged tombstone would refuse is then refused as stale), and the raw webhook
 * changes ({@code gateway.webhook-events.retention}). Only schedules: the
 * statements belong to the tables' writers ({@link ConversationWrites}, {@link DeadLetterWriter}); each drops a
 * bounded batch, oldest first, so that a backlog never becomes one long delete.
 */
@ApplicationScoped
public class RetentionJanitor {

    private static final Logger LOG = Logger.getLogger(RetentionJanitor.class);
    private static final Duration PERIOD = Duration.ofHours(1);
    /** Rows per statement. */
    static final int BATCH = 1000;
    /** Statements per purge and run; what is left waits for the next run. */
    static final int MAX_BATCHES = 100;

    /** One batch of one kind of row: drops up to {@code limit} rows older than {@code cutoff}, says how many. */
    @FunctionalInterface
    interface Statement {
        Uni<Integer> drop(SqlClient client, OffsetDateTime cutoff, int limit);
    }

    /** One kind of row to drop. */
    record Purge(String what, Supplier<Duration> age, Statement statement) {
    }

    private final Vertx vertx;
    private final Pool pool;
    private final List<Purge> purges;
    private final Purge pendingStatuses;
    private final Purge deadLetters;
    private final List<Purge> tombstones;
    private long timer = -1;

    private final Purge webhookEvents;

    public RetentionJanitor(Vertx vertx, Pool pool, WebhookConfig config, ConversationWrites writes,
            DeadLetterWriter deadLetterWriter, WebhookEventsConfig webhookEventsConfig, RawWebhookEvents raw) {
        this.vertx = vertx;
        this.pool = pool;
        Supplier<Duration> tombstoneAge = () -> config.staleAfter().plus(PERIOD);
        pendingStatuses = new Purge("pending status(es)", config::pendingStatusRetention, writes::purgePendingStatuses);
        deadLetters = new Purge("dead letter(s)", config::deadLetterRetention, deadLetterWriter::purge);
        tombstones = List.of(
                new Purge("tombstone(s) of deleted messages", tombstoneAge, writes::purgeMessageTombstones),
                new Purge("customer tombstone(s)", tombstoneAge, writes::purgeCustomerTombstones),
                new Purge("tombstone(s) of erased customers", tombstoneAge, writes::purgeErasedCustomers),
                new Purge("tombstone(s) of erased messages", tombstoneAge, writes::purgeErasedMessages));
        Purge pendingEdits = new Purge("pending edit(s)", config::pendingStatusRetention, writes::purgePendingEdits);
        webhookEvents = new Purge("raw webhook change(s)", webhookEventsConfig::retention, raw::purge);
        List<Purge> all = new ArrayList<>(List.of(pendingStatuses, pendingEdits, deadLetters, webhookEvents));
        all.addAll(tombstones);
        purges = List.copyOf(all);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(60_000L, PERIOD.toMillis(), id -> runAll());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void runAll() {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Purge purge : purges) {
            chain = chain.chain(() -> purge(purge, BATCH).invoke(dropped -> {
                if (dropped > 0) {
                    LOG.infof("Dropped %d %s older than %s", dropped, purge.what(), purge.age().get());
                }
            }).onFailure().invoke(failure -> LOG.debugf("Purge of %s skipped: %s", purge.what(), failure.getMessage()))
                    .onFailure().recoverWithNull().replaceWithVoid());
        }
        chain.subscribe().with(ignored -> {
        }, failure -> {
        });
    }

    Uni<Long> purgePendingStatuses() {
        return purge(pendingStatuses, BATCH);
    }

    Uni<Long> purgeDeadLetters() {
        return purge(deadLetters, BATCH);
    }

    Uni<Long> purgeWebhookEvents() {
        return purge(webhookEvents, BATCH);
    }

    /** Every kind of tombstone, {@code batchSize} rows per statement; how many were dropped. */
    Uni<Long> purgeTombstones(int batchSize) {
        Uni<Long> chain = Uni.createFrom().item(0L);
        for (Purge purge : tombstones) {
            chain = chain.chain(dropped -> purge(purge, batchSize).map(count -> dropped + count));
        }
        return chain;
    }

    private Uni<Long> purge(Purge purge, int batchSize) {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(purge.age().get());
        return BoundedBatches.untilShort(() -> purge.statement().drop(pool, cutoff, batchSize).map(Integer::longValue),
                batchSize, MAX_BATCHES);
    }
}
