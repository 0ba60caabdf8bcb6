package io.wagateway.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.wagateway.common.PeriodicJob;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.MessagesConfig;
import io.wagateway.events.EventSignal;

/**
 * Applies the edits and revokes that arrived before their original (kept in whatsapp_pending_edits) once the
 * original is stored: every few seconds on every replica (idempotent: each is applied under its original's wamid
 * lock, once). An edit whose original is stored already is applied with its delivery; only early ones wait here.
 */
@ApplicationScoped
public class PendingEdits {

    private static final Logger LOG = Logger.getLogger(PendingEdits.class);
    private static final long PERIOD_MS = 5_000L;
    private static final int BATCH = 500;

    private final Vertx vertx;
    private final ConversationWrites writes;
    private final MessagesConfig config;
    private final EventSignal events;
    private PeriodicJob job;

    public PendingEdits(Vertx vertx, ConversationWrites writes, MessagesConfig config, EventSignal events) {
        this.vertx = vertx;
        this.writes = writes;
        this.config = config;
        this.events = events;
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.start(vertx, PERIOD_MS, PERIOD_MS, this::run, applied -> {
        }, failure -> LOG.debugf("Pending edits not applied this time: %s", failure.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /** One pass; how many edits and revokes were applied. */
    public io.smallrye.mutiny.Uni<Integer> run() {
        return writes.applyPendingEdits(config.keepRevokedContent(), BATCH).invoke(applied -> {
            if (applied > 0) {
                LOG.debugf("Applied %d edit(s)/revoke(s) that had arrived before their message", applied);
                events.committed();
            }
        });
    }
}
