package io.wagateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The webhook's Prometheus metrics (names listed in README "Operations"). */
@ApplicationScoped
public class WebhookMetrics {

    /** What a delivery ended as; one counter each. */
    public enum Outcome { STORED, DUPLICATE, REJECTED_SIGNATURE, INVALID, UNAVAILABLE }

    private final MeterRegistry registry;
    private final Map<Outcome, Counter> deliveries = new EnumMap<>(Outcome.class);
    private final Counter duplicates;
    private final Counter unrouted;
    private final Counter staleMessages;
    private final Timer ingestLatency;
    private final DistributionSummary ingestBatch;
    /** Tagged counters looked up once: a registry lookup per message costs more than the increment. */
    private final Map<String, Counter> tagged = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Outcome outcome : Outcome.values()) {
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
    }

    public void ingestBatch(int messages) {
        ingestBatch.record(messages);
    }

    public void delivery(Outcome outcome) {
        deliveries.get(outcome).increment();
    }

    public void messageStored(String type) {
        String t = type == null ? "unknown" : type;
        counter("m:" + t, "whatsapp.webhook.messages", "type", t).increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void status(String status, IngestRepository.StatusOutcome outcome) {
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

    public void unrouted() {
        unrouted.increment();
    }

    public void webhookError(Integer code) {
        counter("e:" + code, "whatsapp.webhook.errors", "code", String.valueOf(code)).increment();
    }

    public void ignoredField(String field) {
        counter("i:" + field, "whatsapp.webhook.ignored.changes", "field", field).increment();
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

    /** An item acknowledged without being stored, by why (a fixed set of labels). */
    public void item(ItemOutcome outcome) {
        counter("item:" + outcome.label, "whatsapp.webhook.items", "outcome", outcome.label).increment();
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

    public void stop(Timer.Sample sample) {
        sample.stop(ingestLatency);
    }
}
