package io.wagateway.events;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.FieldError;
import io.wagateway.common.IdCursor;
import io.wagateway.common.InvalidInputException;
import io.wagateway.common.PageResponse;
import io.wagateway.events.dto.DeliveryAttemptResponse;
import io.wagateway.events.dto.ReplayRequest;
import io.wagateway.events.dto.ReplayResponse;

/** A subscription's attempt log and replays (the rows belong to {@link Deliveries}). */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);
    private static final String CURSOR_PREFIX = "attempt:";

    private final SubscriptionService subscriptions;
    private final Deliveries deliveries;
    private final EventSignal signal;

    public DeliveryService(SubscriptionService subscriptions, Deliveries deliveries, EventSignal signal) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.signal = signal;
    }

    /** Attempts newest first; {@code cursor} is the nextCursor of the previous page. 404 for an unknown id. */
    public Uni<PageResponse<DeliveryAttemptResponse>> attempts(UUID subscriptionId, String cursor, Long eventId,
            int size) {
        IdCursor.Position before = IdCursor.decodePosition(CURSOR_PREFIX, cursor);
        return subscriptions.get(subscriptionId)
                .chain(() -> deliveries.attempts(subscriptionId, before, eventId, size + 1))
                .map(fetched -> {
                    List<Deliveries.Attempt> page = fetched.size() > size ? fetched.subList(0, size) : fetched;
                    Deliveries.Attempt last = fetched.size() > size ? page.get(size - 1) : null;
                    String next = last == null ? null
                            : IdCursor.encodePosition(CURSOR_PREFIX, last.id(), last.position());
                    return new PageResponse<>(page.stream().map(DeliveryService::toResponse).toList(), next);
                });
    }

    /** Queues the events chosen by {@code request} again; 404 for an unknown id, 400 unless exactly one bound. */
    public Uni<ReplayResponse> replay(UUID subscriptionId, ReplayRequest request) {
        if ((request.fromEventId() == null) == (request.since() == null)) {
            throw new InvalidInputException(List.of(new FieldError("fromEventId",
                    "give either fromEventId or since (exactly one)")));
        }
        return subscriptions.get(subscriptionId)
                .chain(() -> deliveries.replay(subscriptionId, request.fromEventId(), request.since()))
                .map(done -> {
                    if (done.queued() > 0) {
                        signal.committed();
                    }
                    LOG.infof("Replay to subscription %s from %s: %d deliveries queued again (more: %s)",
                            subscriptionId, request.fromEventId() != null ? "event " + request.fromEventId()
                                    : request.since(),
                            done.queued(), done.more());
                    return new ReplayResponse(done.queued(),
                            done.lastEventId() == null ? null : done.lastEventId().toString(), done.more());
                });
    }

    private static DeliveryAttemptResponse toResponse(Deliveries.Attempt a) {
        return new DeliveryAttemptResponse(Long.toString(a.eventId()), a.attempt(), a.statusCode(), a.error(),
                a.durationMillis(), a.attemptedAt(), a.nextAttemptAt(), a.deliveryState().name().toLowerCase(Locale.ROOT));
    }
}
