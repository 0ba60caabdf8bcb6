package io.wagateway.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.LogContext;
import io.wagateway.common.LogThrottle;
import io.wagateway.webhook.WebhookSecrets.Signer;
import io.wagateway.webhook.payload.Delivery;
import io.wagateway.webhook.payload.InboundMessage;
import io.wagateway.webhook.payload.Routing;
import io.wagateway.webhook.payload.StatusUpdate;
import io.wagateway.webhook.payload.UserIdChange;

/**
 * Which items of a delivery may be stored, by {@code metadata.phone_number_id}: an item without a number cannot be
 * stored for anyone, an item for a number its signer does not own must not touch that business's conversations
 * (both acknowledged, logged and counted); an item for a number without an active settings row is stored and
 * counted as unrouted.
 */
@ApplicationScoped
public class DeliveryRouter {

    private static final Logger LOG = Logger.getLogger(DeliveryRouter.class);

    /** The items left to store, and how many were set aside for want of a number or of the signer's scope. */
    public record Routed(Delivery delivery, int unroutable, int foreign) {
    }

    /** Per-request warnings at most once a minute per kind and key. */
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final WebhookSecrets secrets;

    public DeliveryRouter(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    public Routed route(Delivery delivery, Signer signer) {
        int[] refused = new int[2];
        List<InboundMessage> messages = routable(delivery.messages(),
                m -> routable(m.routing(), signer, "message", m.id(), refused));
        List<StatusUpdate> statuses = routable(delivery.statuses(),
                s -> routable(s.routing(), signer, "status", s.messageId(), refused));
        List<UserIdChange> changes = routable(delivery.userIdChanges(),
                c -> routable(c.routing(), signer, "user_id_update", c.current(), refused));
        Delivery routed = messages == delivery.messages() && statuses == delivery.statuses()
                && changes == delivery.userIdChanges() ? delivery : delivery.withItems(messages, statuses, changes);
        return new Routed(routed, refused[0], refused[1]);
    }

    /**
     * How many items of a routed delivery are for a number without an active settings row (logged per number);
     * zero when the settings cannot be read, which never holds up the delivery.
     */
    public Uni<Integer> unrouted(Delivery delivery) {
        if (delivery.itemCount() == 0) {
            return Uni.createFrom().item(0);
        }
        return secrets.snapshot().onFailure().recoverWithNull().map(snapshot -> {
            if (snapshot == null) {
                return 0;
            }
            Set<String> active = snapshot.activeNumbers();
            int unrouted = 0;
            for (InboundMessage m : delivery.messages()) {
                unrouted += unrouted(active, m.routing(), m.id());
            }
            for (StatusUpdate s : delivery.statuses()) {
                unrouted += unrouted(active, s.routing(), s.messageId());
            }
            return unrouted;
        });
    }

    /** The items {@code routable} admits; the same list (no copy) while it admits all, the usual delivery. */
    private static <T> List<T> routable(List<T> items, Predicate<T> routable) {
        for (int i = 0; i < items.size(); i++) {
            if (!routable.test(items.get(i))) {
                List<T> kept = new ArrayList<>(items.subList(0, i));
                for (int j = i + 1; j < items.size(); j++) {
                    if (routable.test(items.get(j))) {
                        kept.add(items.get(j));
                    }
                }
                return kept;
            }
        }
        return items;
    }

    /** Whether the item may be stored; when not, counted in {@code refused} (0: no number, 1: foreign). */
    private boolean routable(Routing routing, Signer signer, String kind, String wamid, int[] refused) {
        String number = routing.phoneNumberId();
        if (number == null || number.isBlank()) {
            refused[0]++;
            long suppressed = throttle.admit("unroutable");
            if (suppressed >= 0) {
                LOG.warnf("Acknowledged a %s without metadata.phone_number_id (wamid=%s, entry %s) without storing "
                        + "it: it names no business number (%d more not logged in the last minute)", kind,
                        LogValue.of(wamid), LogValue.of(routing.wabaId()), suppressed);
            }
            return false;
        }
        if (!signer.owns(routing.wabaId(), number)) {
            refused[1]++;
            long suppressed = throttle.admit("foreign");
            if (suppressed >= 0) {
                LOG.warnf("Acknowledged a %s for phone_number_id=%s (entry %s) without storing it: the delivery is "
                        + "signed with a settings row's app secret that does not sign for this number (%d more not "
                        + "logged in the last minute)", kind, LogValue.of(number), LogValue.of(routing.wabaId()),
                        suppressed);
            }
            return false;
        }
        return true;
    }

    private int unrouted(Set<String> active, Routing routing, String wamid) {
        if (active.contains(routing.phoneNumberId())) {
            return 0;
        }
        String number = LogValue.of(routing.phoneNumberId());
        long suppressed = throttle.admit("unrouted:" + number);
        if (suppressed >= 0) {
            String shown = LogValue.of(wamid);
            LogContext.withWamid(shown, () -> LOG.warnf("Storing %s for phone_number_id=%s, which has no active "
                    + "settings row (%d more for this number not logged in the last minute)", shown, number,
                    suppressed));
        }
        return 1;
    }
}
