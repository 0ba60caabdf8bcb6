package io.wagateway.webhook;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.wagateway.common.LogThrottle;
import io.wagateway.templates.TemplateWebhooks;
import io.wagateway.webhook.DeliveryResult.Status;
import io.wagateway.webhook.WebhookSecrets.Signer;
import io.wagateway.webhook.payload.Delivery;

/**
 * Receives one signed delivery: verifies it ({@link DeliveryVerifier}, and so learns who signed it), parses it
 * ({@link DeliveryReader}), keeps the items its signer may store ({@link DeliveryRouter}), turns them into rows
 * ({@link InboundRows}) and writes them ({@link DeliveryStore}). The answer is produced only from the committed
 * outcome, so nothing acknowledged is ever lost; every step is idempotent, so Meta's redeliveries store nothing
 * twice. What no retry could store is acknowledged and counted. The delivery's metrics are recorded here, once.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    /** Outages at most once a minute. */
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final DeliveryVerifier verifier;
    private final DeliveryReader reader;
    private final DeliveryRouter router;
    private final InboundRows rows;
    private final DeliveryStore store;
    private final WebhookMetrics metrics;
    private final TemplateWebhooks templates;
    private final Coexistence coexistence;
    private final WebhookFields fields;

    public IngestService(DeliveryVerifier verifier, DeliveryReader reader, DeliveryRouter router, InboundRows rows,
            DeliveryStore store, WebhookMetrics metrics, TemplateWebhooks templates, Coexistence coexistence,
            WebhookFields fields) {
        this.verifier = verifier;
        this.reader = reader;
        this.router = router;
        this.rows = rows;
        this.store = store;
        this.metrics = metrics;
        this.templates = templates;
        this.coexistence = coexistence;
        this.fields = fields;
    }

    public Uni<DeliveryResult> receive(byte[] body, String signature) {
        Timer.Sample sample = metrics.start();
        Instant arrival = Instant.now();
        return verifier.verify(body, signature)
                .chain(signer -> signer != null ? ingest(body, signer, arrival)
                        : Uni.createFrom().item(DeliveryResult.of(Status.REJECTED_SIGNATURE, "invalid signature")))
                .onFailure().recoverWithItem(failure -> {
                    long suppressed = throttle.admit("unavailable");
                    if (suppressed >= 0) {
                        LOG.warnf("Webhook delivery not stored, answering 503 so that Meta retries: %s (%d more "
                                + "not logged in the last minute)", describe(failure), suppressed);
                    }
                    return DeliveryResult.of(Status.UNAVAILABLE, "storage unavailable");
                })
                .invoke(result -> metrics.delivered(result, sample));
    }

    private Uni<DeliveryResult> ingest(byte[] body, Signer signer, Instant arrival) {
        Delivery delivery;
        try {
            delivery = reader.read(body, arrival);
        } catch (DeliveryReader.Invalid invalid) {
            return Uni.createFrom().item(DeliveryResult.of(Status.INVALID, invalid.getMessage()));
        }
        metrics.parsed(delivery);
        DeliveryRouter.Routed routed = router.route(delivery, signer);
        metrics.routed(routed);
        // Template and preference changes are routed by entry id (the WABA), stored before the answer like messages.
        return templates.apply(body, delivery.ignoredFields(),
                waba -> signer.everyNumber() || signer.businesses().contains(waba), arrival)
                // Business-app echoes and kept history chunks (coexistence), stored before the answer too.
                .chain(() -> coexistence.apply(body, delivery.ignoredFields(), signer, arrival))
                // Account changes, calls and every other field (kept raw): also stored before the answer.
                .call(() -> fields.apply(body, delivery.ignoredFields(), signer, arrival))
                .chain(echoes -> router.unrouted(routed.delivery()).invoke(metrics::unrouted)
                        .chain(() -> write(routed.delivery(), signer))
                        .call(() -> coexistence.changePhones(routed.delivery()))
                        // The display numbers its metadata names, in memory (stored before the next account change).
                        .invoke(() -> fields.seeDisplayNumbers(routed.delivery()))
                        .map(result -> result.plusStored(echoes)));
    }

    private Uni<DeliveryResult> write(Delivery delivery, Signer signer) {
        InboundRows.Rows writes = rows.of(delivery, signer);
        metrics.leftOut(writes);
        if (writes.isEmpty()) {
            metrics.staleMessages(writes.stale());
            return Uni.createFrom().item(DeliveryResult.of(Status.STORED,
                    writes.skipped() > 0 ? writes.skipped() + " item(s) without id skipped" : "nothing to store"));
        }
        return store.store(writes).invoke(written -> {
            metrics.written(written);
            metrics.staleMessages(writes.stale());
            if (LOG.isDebugEnabled()) {
                LOG.debugf("Delivery stored: %d new, %d duplicate, %d status(es) applied, %d pending",
                        written.stored(), written.duplicates(), written.statusesApplied(), written.statusesPending());
            }
        }).map(DeliveryResult::of);
    }

    private static String describe(Throwable failure) {
        if (failure instanceof PgException pg) {
            return "PostgreSQL " + pg.getSqlState() + ": " + LogValue.of(pg.getErrorMessage());
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
