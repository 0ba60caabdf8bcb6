package io.wagateway.events;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The event feed's meters: events numbered into the log, attempts per subscription by outcome, and each
 * subscription's backlog (pending deliveries and the age of the oldest one, read by {@link EventDispatcher}).
 * The subscription label is the subscription id: a set the admins create, not one a payload controls.
 */
@ApplicationScoped
public class EventMetrics {

    /** What became of one attempt. */
    enum Result {
        DELIVERED("delivered"),
        RETRIED("retried"),
        FAILED("failed");

        final String meter;

        Result(String meter) {
            this.meter = meter;
        }
    }

    private final MeterRegistry registry;
    private final Counter written;
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<UUID, Backlog> backlogs = new ConcurrentHashMap<>();

    public EventMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.written = Counter.builder("gateway.events.written").description("Events numbered into the event log")
                .register(registry);
    }

    void written(long events) {
        if (events > 0) {
            written.increment(events);
        }
    }

    void attempt(UUID subscriptionId, Result result) {
        attempts.computeIfAbsent(subscriptionId + "/" + result.meter,
                key -> Counter.builder("gateway.events." + result.meter)
                        .description(switch (result) {
                            case DELIVERED -> "Deliveries answered with a 2xx";
                            case RETRIED -> "Attempts that failed and will be tried again";
                            case FAILED -> "Deliveries given up after the retry period (dead letters)";
                        })
                        .tag("subscription", subscriptionId.toString()).register(registry))
                .increment();
    }

    /** Registers the in-flight gauge of this replica's dispatcher. */
    void inFlight(Supplier<Number> inFlight) {
        Gauge.builder("gateway.events.in.flight", inFlight).description("Event POSTs in flight on this replica")
                .register(registry);
    }

    /** The backlog of every subscription as last read (pending count, age of the oldest in ms); others go. */
    void backlog(Map<UUID, Deliveries.Backlog> read) {
        read.forEach((id, values) -> {
            Backlog backlog = backlogs.computeIfAbsent(id, this::register);
            backlog.pending = values.pending();
            backlog.lagSeconds = values.oldestMillis() / 1000.0;
        });
        backlogs.keySet().removeIf(id -> {
            if (read.containsKey(id)) {
                return false;
            }
            Backlog gone = backlogs.get(id);
            registry.remove(gone.pendingGauge);
            registry.remove(gone.lagGauge);
            return true;
        });
    }

    private Backlog register(UUID id) {
        Backlog backlog = new Backlog();
        backlog.pendingGauge = Gauge.builder("gateway.events.pending", backlog, b -> b.pending)
                .description("Deliveries not yet delivered or failed").tag("subscription", id.toString())
                .register(registry);
        backlog.lagGauge = Gauge.builder("gateway.events.dispatch.lag", backlog, b -> b.lagSeconds)
                .baseUnit("seconds").description("Age of the oldest pending delivery")
                .tag("subscription", id.toString()).register(registry);
        return backlog;
    }

    private static final class Backlog {
        volatile double pending;
        volatile double lagSeconds;
        Gauge pendingGauge;
        Gauge lagGauge;
    }
}
