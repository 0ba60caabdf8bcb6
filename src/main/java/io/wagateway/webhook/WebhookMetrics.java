package io.wagateway.webhook;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wagateway.conversation.StatusOutcome;
import io.wagateway.webhook.payload.Delivery;

/**
 * The webhook's Prometheus metrics (listed in {@code docs/webhook.md}), recorded from what each step of a delivery
 * reports ({@link IngestService}); label values come from fixed sets.
 */
@ApplicationScoped
public class WebhookMetrics {

    /** Label values a payload may carry; any other value is counted as {@link #OTHER}, so series stay bounded. */
    static final String OTHER = "other";
    static final Set<String> MESSAGE_TYPES = Set.of("text", "image", "audio", "video", "document", "sticker",
            "location", "contacts", "interactive", "button", "reaction", "order", "system", "request_welcome",
            "unsupported", "unknown");
    static final Set<String> STATUSES = Set.of("sent", "delivered", "read", "played", "failed", "deleted", "warning",
            "unknown");
    static final Set<String> FIELDS = Set.of("messages", "account_alerts", "account_review_update", "account_update",
            "business_capability_update", "business_status_update", "flows", "history", "message_echoes",
            "message_template_components_update", "message_template_quality_update", "message_template_status_update",
            "partner_solutions", "payment_configuration_update", "phone_number_name_update",
            "phone_number_quality_update", "security", "smb_app_state_sync", "smb_message_echoes",
            "template_category_update", "user_preferences", "calls", "call_permission_reply",
            "group_lifecycle_update", "group_participants_update", "group_settings_update", "group_status_update",
            "automatic_events", "tracking_events", "user_id_update");
    /**
     * How many field names outside {@link #FIELDS} get a series of their own (the first ones seen); later ones are
     * counted as {@link #OTHER}, so that a stream of made-up field names cannot grow the registry.
     */
    static final int MAX_OTHER_FIELDS = 16;
    /** Meta's documented error codes of webhook errors[]; others (and none) count as other. */
    static final Set<Integer> ERROR_CODES = Set.of(0, 1, 2, 3, 4, 10, 100, 190, 200, 368, 80007, 130403, 130429,
            130472, 130497, 131064,
            131000, 131005, 131008, 131009, 131016, 131021, 131026, 131031, 131037, 131042, 131045, 131047, 131048,
            131049, 131050, 131051, 131052, 131053, 131056, 131057, 132000, 132001, 132005, 132007, 132012, 132015,
            132016, 132068, 132069, 133000, 133004, 133005, 133006, 133008, 133009, 133010, 133015, 133016, 135000);

    private final MeterRegistry registry;
    private final Map<DeliveryResult.Status, Counter> deliveries = new EnumMap<>(DeliveryResult.Status.class);
    private final Counter duplicates;
    private final Counter unrouted;
    private final Counter staleMessages;
    private final Timer ingestLatency;
    private final DistributionSummary ingestBatch;
    private final DistributionSummary statusBatch;
    /** Tagged counters looked up once: a registry lookup per message costs more than the increment. */
    private final Map<String, Counter> tagged = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (DeliveryResult.Status outcome : DeliveryResult.Status.values()) {
            deliveries.put(outcome, Counter.builder("whatsapp.webhook.deliveries")
                    .description("Webhook deliveries by outcome").tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        duplicates = Counter.builder("whatsapp.webhook.duplicates")
                .description("Inbound messages whose wamid was stored before (redeliveries)").register(registry);
        unrouted = Counter.builder("whatsapp.webhook.unrouted")
                .description("Messages and statuses for a phone_number_id with no active settings row (stored anyway)")
                .register(registry);
        staleMessages = Counter.builder("whatsapp.webhook.ignored.messages")
                .description("Inbound messages acknowledged without storing them, by reason (stale: older than Meta's "
                        + "retry horizon, gateway.whatsapp.stale-after)")
                .tag("reason", "stale").register(registry);
        ingestLatency = Timer.builder("whatsapp.webhook.ingest")
                .description("Time from a delivery's arrival to its answer (signature, parse, store, commit)")
                .publishPercentileHistogram().register(registry);
        ingestBatch = DistributionSummary.builder("whatsapp.webhook.ingest.batch")
                .description("Inbound messages written per statement (group commit of concurrent deliveries)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
        statusBatch = DistributionSummary.builder("whatsapp.webhook.ingest.status.batch")
                .description("Statuses written per statement (group commit of concurrent status deliveries)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
    }

    public void ingestBatch(int messages) {
        ingestBatch.record(messages);
    }

    public void statusBatch(int statuses) {
        statusBatch.record(statuses);
    }

    /** A delivery answered: its outcome and the time from its arrival. */
    public void delivered(DeliveryResult result, Timer.Sample sample) {
        deliveries.get(result.status()).increment();
        sample.stop(ingestLatency);
    }

    /** What the parse acknowledged without storing: other fields, Meta's errors, replaced timestamps. */
    void parsed(Delivery delivery) {
        timestampsReplaced(delivery.timestampsReplaced());
        delivery.ignoredFields().forEach(this::ignoredField);
        delivery.errors().forEach(error -> webhookError(error.code()));
    }

    /** Items set aside by routing: without a number, or for a number the signer does not own. */
    void routed(DeliveryRouter.Routed routed) {
        items(ItemOutcome.UNROUTABLE, routed.unroutable());
        items(ItemOutcome.FOREIGN, routed.foreign());
    }

    /** Items left out of the writes: keys too long to index, unknown statuses. */
    void leftOut(InboundRows.Rows rows) {
        items(ItemOutcome.INVALID, rows.invalid());
        for (int i = 0; i < rows.unknownStatuses(); i++) {
            unknownStatus();
        }
    }

    /** What a delivery's commit wrote. */
    void written(Written written) {
        written.storedTypes().forEach(this::messageStored);
        written.statuses().forEach(s -> {
            if (s.outcome() == StatusOutcome.FOREIGN) {
                items(ItemOutcome.FOREIGN, 1);
            } else {
                status(s.status(), s.outcome());
            }
        });
        if (written.duplicates() > 0) {
            duplicates.increment(written.duplicates());
        }
        items(ItemOutcome.DEAD_LETTER, written.deadLetters());
    }

    /** Items acknowledged without being stored, by why (a fixed set of labels). */
    private void items(ItemOutcome outcome, int count) {
        if (count > 0) {
            counter("item:" + outcome.label, "whatsapp.webhook.items", "outcome", outcome.label).increment(count);
        }
    }

    public void messageStored(String type) {
        String t = type == null ? "unknown" : bounded(type, MESSAGE_TYPES);
        counter("m:" + t, "whatsapp.webhook.messages", "type", t).increment();
    }

    public void status(String status, StatusOutcome outcome) {
        status = bounded(status, STATUSES);
        counter("s:" + status + ":" + outcome, "whatsapp.webhook.statuses", "status", status, "outcome",
                outcome.name().toLowerCase(Locale.ROOT)).increment();
    }

    public void unknownStatus() {
        counter("s:unknown", "whatsapp.webhook.statuses", "status", "unknown", "outcome", "ignored").increment();
    }

    /** Inbound messages older than {@code gateway.whatsapp.stale-after}, acknowledged and not stored. */
    public void staleMessages(int count) {
        if (count > 0) {
            staleMessages.increment(count);
        }
    }

    /** Items stored for a number without an active settings row. */
    void unrouted(int count) {
        if (count > 0) {
            unrouted.increment(count);
        }
    }

    public void webhookError(Integer code) {
        String c = code != null && ERROR_CODES.contains(code) ? String.valueOf(code) : OTHER;
        counter("e:" + c, "whatsapp.webhook.errors", "code", c).increment();
    }

    public void ignoredField(String field) {
        String f = bounded(field, FIELDS);
        counter("i:" + f, "whatsapp.webhook.ignored.changes", "field", f).increment();
    }

    /** Field names outside FIELDS that have a series of their own. */
    private final Set<String> otherFields = ConcurrentHashMap.newKeySet();

    /**
     * One change of a field other than messages: {@code handled} when the gateway stored it in its place (template,
     * account, session timeline), false when it was kept raw ({@code gateway_webhook_fields_total}).
     */
    public void field(String field, boolean handled) {
        String f = field;
        if (f == null || !FIELDS.contains(f)) {
            boolean admitted = f != null && f.length() <= 64 && (otherFields.contains(f)
                    || (otherFields.size() < MAX_OTHER_FIELDS && otherFields.add(f)));
            f = admitted ? f : OTHER;
        }
        String h = Boolean.toString(handled);
        counter("f:" + f + ":" + h, "gateway.webhook.fields", "field", f, "handled", h).increment();
    }

    private static String bounded(String value, Set<String> known) {
        return value != null && known.contains(value) ? value : OTHER;
    }

    /** Why an item of a delivery was acknowledged without being stored; one counter each. */
    public enum ItemOutcome {
        /** For a number (or business) the delivery's signer does not own. */
        FOREIGN,
        /** Without {@code metadata.phone_number_id}: no number to store it for. */
        UNROUTABLE,
        /** A key (wamid, sender, wa_id, status id, recipient) too long to index. */
        INVALID,
        /** Refused by PostgreSQL with a data error; kept in {@code whatsapp_dead_letters}. */
        DEAD_LETTER;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Items whose timestamp was missing, unreadable or implausible and became the arrival time. */
    public void timestampsReplaced(int count) {
        if (count > 0) {
            counter("timestamps:replaced", "whatsapp.webhook.timestamps.replaced").increment(count);
        }
    }

    private Counter counter(String key, String name, String... tags) {
        Counter counter = tagged.get(key);
        if (counter == null) {
            counter = tagged.computeIfAbsent(key, k -> registry.counter(name, tags));
        }
        return counter;
    }

    public Timer.Sample start() {
        return Timer.start(registry);
    }
}
