package io.wagateway.webhook;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wagateway.events.EventSignal;
import io.wagateway.webhook.InboundRows.Rows;
import io.wagateway.webhook.InboundRows.StatusWrite;

/**
 * Chooses how a delivery's writes reach the database: a lone message (nearly all of Meta's inbound traffic) joins
 * the messages' group commit ({@link InboundBatcher}); statuses alone (the rest of Meta's traffic: one to a few per
 * delivery) join the statuses' group commit, each status on its own, and the delivery is answered when all of them
 * are written; anything else is one transaction of its own ({@link DeliveryWriter}) under the same waiting bound. Either way
 * the delivery fails when it is not written within
 * {@code gateway.whatsapp.ingest-timeout}.
 */
@ApplicationScoped
public class DeliveryStore {

    private final InboundBatcher batcher;
    private final DeliveryWriter writer;
    private final WebhookConfig config;
    private final EventSignal events;

    public DeliveryStore(InboundBatcher batcher, DeliveryWriter writer, WebhookConfig config, EventSignal events) {
        this.batcher = batcher;
        this.writer = writer;
        this.config = config;
        this.events = events;
    }

    /**
     * Only statuses, none of which links a phone to a BSUID (that takes the identity's locks first), and few enough
     * to be written with the group's statements.
     */
    private boolean statusesAlone(Rows rows) {
        return rows.messages().isEmpty() && rows.userIdChanges().isEmpty() && rows.edits().isEmpty()
                && rows.statuses().size() <= config.ingestBatchSize()
                && rows.statuses().stream().noneMatch(StatusWrite::links);
    }

    /** Writes a delivery's non-empty rows; what the commit wrote. */
    public Uni<Written> store(Rows rows) {
        Uni<Written> work;
        if (rows.messages().size() == 1 && rows.statuses().isEmpty() && rows.userIdChanges().isEmpty()
                && rows.edits().isEmpty()) {
            String type = rows.messages().get(0).messageType();
            work = batcher.store(rows.messages().get(0)).map(outcome -> switch (outcome) {
                case STORED -> Written.stored(type);
                case DUPLICATE -> Written.DUPLICATE;
                case DEAD_LETTER -> Written.DEAD_LETTER;
                case DROPPED -> Written.NOTHING;
            });
        } else if (statusesAlone(rows)) {
            List<Uni<Written>> each = new ArrayList<>(rows.statuses().size());
            rows.statuses().forEach(status -> each.add(batcher.apply(status)));
            work = each.size() == 1 ? each.get(0) : Uni.join().all(each).andFailFast().map(Written::sum);
        } else {
            work = batcher.bounded(() -> writer.write(rows.messages(), rows.statuses(), rows.userIdChanges(), rows.edits()));
        }
        // the commit is done when the write answers: its events can be numbered and sent now (a redelivery or a
        // status that moved nothing appended none, and wakes nobody)
        return work.invoke(written -> {
            if (written.stored() > 0 || written.statusesApplied() > 0 || written.editsApplied() > 0) {
                events.committed();
            }
        }).ifNoItem().after(config.ingestTimeout()).fail();
    }
}
