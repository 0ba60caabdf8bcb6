package io.wagateway.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Meta webhook reception. */
@ConfigMapping(prefix = "gateway.whatsapp")
public interface WebhookConfig {

    /**
     * Meta app secrets that sign deliveries ({@code X-Hub-Signature-256}), comma separated, in addition to the
     * app secrets of settings rows. None at all: every delivery is refused (fail closed).
     */
    Optional<List<String>> appSecrets();

    /** How long verify tokens and per-settings app secrets read from the database are reused. */
    @WithDefault("10s")
    Duration secretsCacheTtl();

    /** Statuses kept for a message that never appears are dropped after this (Meta's message TTL: 30 days). */
    @WithDefault("30d")
    Duration pendingStatusRetention();

    /**
     * Items PostgreSQL refused for their data (kept in {@code whatsapp_dead_letters} so that their deliveries
     * could be acknowledged) are dropped after this.
     */
    @WithDefault("30d")
    Duration deadLetterRetention();

    /**
     * Inbound messages older than this (by Meta's timestamp) are acknowledged and not stored: Meta retries a
     * delivery for 7 days, so nothing older is a retry of a message we must keep (a replayed capture, or a
     * retry of a deleted conversation whose tombstones were purged). Tombstones of deleted conversations are
     * purged once older than this.
     */
    @WithDefault("8d")
    Duration staleAfter();

    /** A delivery not stored within this time is answered 503, so that Meta retries it. */
    @WithDefault("10s")
    Duration ingestTimeout();

    /**
     * Group commit: lone inbound messages of concurrent deliveries are stored together, up to this many per
     * statement (one round trip, one commit). 1 stores each delivery on its own.
     */
    @WithDefault("64")
    int ingestBatchSize();

    /**
     * How many group statements may run at once (each holds one pooled connection). Deliveries that arrive
     * while all are busy wait and go together into the next one; nothing waits when one is free.
     */
    @WithDefault("2")
    int ingestConcurrency();

    /**
     * Light load: while at most this many inbound messages are waiting or being written, each is written at once
     * by its own statement, up to this many statements at once (PostgreSQL then flushes their commits together);
     * above it, messages are grouped as described at {@link #ingestConcurrency()}. Groups only pay off when they
     * are large: a statement for 2-3 messages costs PostgreSQL more than the singles. 0 = always group.
     */
    @WithDefault("8")
    int ingestSoloBelow();

    /**
     * The same light-load bound for the statuses' group commit: while at most this many statuses wait or are being
     * applied, each gets its own statement at once. 0 = always group.
     */
    @WithDefault("8")
    int statusSoloBelow();

    /**
     * Most deliveries waiting for a group statement; more are answered 503 at once (Meta retries them). Bounds
     * the memory held while the database does not answer.
     */
    @WithDefault("2048")
    int ingestMaxWaiting();

    /**
     * Bytes that all webhook bodies in flight may hold together, from their first byte until they are answered and
     * no longer held by the ingest work. A body that does not fit is answered 503 with {@code Retry-After} at once,
     * without being read. Sized against the heap (docs/operations.md).
     */
    @WithDefault("24M")
    MemorySize bodyBudget();

    /**
     * Part of {@link #bodyBudget()} that only bodies of at most {@link #smallBodySize()} may use, so that large or
     * withheld bodies cannot lock out ordinary deliveries.
     */
    @WithDefault("8M")
    MemorySize bodyBudgetReserve();

    /** Largest body that may use {@link #bodyBudgetReserve()} (Meta's ordinary deliveries are a few kB). */
    @WithDefault("64K")
    MemorySize smallBodySize();

    /**
     * Whole-body deadline from the request's arrival: a body not complete by then is answered 408 (when an answer
     * can still be written), its connection closed and its bytes released. Unlike the idle timeout it is not reset
     * by each byte, so a trickling sender cannot hold its part of the budget for long.
     */
    @WithDefault("10s")
    Duration bodyTimeout();

    /**
     * Most requests that may wait for a pooled database connection while all are busy; more fail at once (a
     * delivery is answered 503). Bounds the work, and payloads, a hanging database can make the service queue.
     */
    @WithDefault("128")
    int poolMaxWaitQueueSize();

    /**
     * How long a request waits for a pooled database connection before it fails; must be below
     * {@link #ingestTimeout()}, so that a delivery waiting for one gives up (and frees its payload) before it is
     * answered 503.
     */
    @WithDefault("5s")
    Duration poolAcquireTimeout();
}
