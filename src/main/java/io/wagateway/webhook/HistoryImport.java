package io.wagateway.webhook;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.ConversationWrites.CoexistenceRow;
import io.wagateway.events.EventSignal;

/**
 * Imports the kept history chunks ({@link HistoryChunks}) into the conversation tables, on every replica: a run
 * claims one chunk at a time (SKIP LOCKED, with a lease), imports its messages in batches of
 * {@code gateway.history.import-batch}, each batch one transaction that also moves the chunk's cursor and renews the
 * lease, and goes on until no chunk waits. A replica that dies mid-chunk leaves the cursor at its last committed
 * batch; once the lease has passed another replica takes the chunk and goes on from there (messages are idempotent
 * by wamid anyway). A chunk whose batch fails waits a lease before it is tried again, and the run goes on with the
 * next one. Runs start when a chunk is kept and every {@code gateway.history.interval}.
 */
@ApplicationScoped
public class HistoryImport {

    private static final Logger LOG = Logger.getLogger(HistoryImport.class);

    private final String replica = UUID.randomUUID().toString();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final Vertx vertx;
    private final Pool pool;
    private final HistoryChunks chunks;
    private final Coexistence coexistence;
    private final ConversationWrites writes;
    private final HistoryConfig config;
    private final ObjectMapper mapper;
    private final EventSignal events;
    private final Counter imported;
    private final Counter chunksImported;
    private final Counter chunksFailed;
    private long timer = -1;

    public HistoryImport(Vertx vertx, Pool pool, HistoryChunks chunks, Coexistence coexistence,
            ConversationWrites writes, HistoryConfig config, ObjectMapper mapper, EventSignal events,
            MeterRegistry registry) {
        this.imported = Counter.builder("whatsapp.history.messages").description("History messages stored by the "
                + "import (the others were known already)").register(registry);
        this.chunksImported = Counter.builder("whatsapp.history.chunks").tag("outcome", "imported")
                .description("History chunks imported to their end, or whose batch failed (retried a lease later)")
                .register(registry);
        this.chunksFailed = Counter.builder("whatsapp.history.chunks").tag("outcome", "failed")
                .description("History chunks imported to their end, or whose batch failed (retried a lease later)")
                .register(registry);
        this.vertx = vertx;
        this.pool = pool;
        this.chunks = chunks;
        this.coexistence = coexistence;
        this.writes = writes;
        this.config = config;
        this.mapper = mapper;
        this.events = events;
    }

    void start(@Observes StartupEvent event) {
        chunks.onKept(this::kick);
        long period = Math.max(1, config.interval().toMillis());
        timer = vertx.setPeriodic(period, id -> kick());
        kick();
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Starts a run unless one is going; one going runs once more when it ends (it may have missed a new chunk). */
    public void kick() {
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        Uni.createFrom().deferred(this::run).onTermination().invoke(() -> {
            running.set(false);
            if (again.get()) {
                vertx.runOnContext(this::kick);
            }
        }).subscribe().with(imported -> {
            if (imported > 0) {
                LOG.debugf("Imported %d history chunk(s)", imported);
            }
        }, failure -> LOG.debugf("History import not finished this time: %s", failure.getMessage()));
    }

    /** Imports chunks until none waits; how many were finished. */
    public Uni<Integer> run() {
        return importNext(0);
    }

    private Uni<Integer> importNext(int done) {
        return chunks.claim(replica, leaseSeconds()).chain(claimed -> claimed == null ? Uni.createFrom().item(done)
                : importChunk(claimed).chain(finished -> importNext(finished ? done + 1 : done)));
    }

    /** True when the chunk was imported to its end by this replica. */
    private Uni<Boolean> importChunk(HistoryChunks.Claimed chunk) {
        JsonNode item;
        try {
            item = mapper.readTree(chunk.payload());
        } catch (IOException e) {
            // stored as jsonb, so it parses; nothing to import otherwise
            item = mapper.createObjectNode();
        }
        JsonNode payload = item;
        return batch(chunk, payload, chunk.importedCount()).onFailure().recoverWithUni(failure -> {
            // this chunk waits a lease before it is tried again; the chunks after it go on (a database that is
            // down fails their claim too, which ends the run)
            LOG.debugf("History chunk %d not imported this time: %s", chunk.id(), failure.getMessage());
            chunksFailed.increment();
            return chunks.release(chunk.id(), replica, leaseSeconds()).replaceWith(false);
        });
    }

    private Uni<Boolean> batch(HistoryChunks.Claimed chunk, JsonNode payload, int from) {
        int to = Math.min(chunk.messageCount(), from + Math.max(1, config.importBatch()));
        boolean last = to >= chunk.messageCount();
        List<CoexistenceRow> rows = coexistence.historyRows(payload, chunk.wabaId(), chunk.phoneNumberId(),
                chunk.displayPhoneNumber(), chunk.receivedAt(), from, to);
        return ConversationWrites.retryingConflicts(pool.withTransaction(tx -> writes.storeCoexistence(tx, rows)
                .chain(stored -> chunks.advance(tx, chunk.id(), replica, to, stored, last, leaseSeconds())
                        .map(held -> {
                            if (!held) {
                                throw new LostClaim();
                            }
                            return stored;
                        }))))
                .invoke(stored -> {
                    events.committed();
                    imported.increment(stored);
                })
                .chain(stored -> last ? Uni.createFrom().item(true).invoke(() -> chunksImported.increment())
                        : batch(chunk, payload, to))
                .onFailure(LostClaim.class).recoverWithItem(false);
    }

    private long leaseSeconds() {
        return Math.max(1, config.lease().toSeconds());
    }

    /** The chunk's lease passed and another replica took it: this batch is rolled back, the chunk left to it. */
    private static final class LostClaim extends RuntimeException {
        LostClaim() {
            super("history chunk claim lost", null, false, false);
        }
    }
}
