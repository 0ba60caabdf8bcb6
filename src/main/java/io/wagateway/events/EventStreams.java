package io.wagateway.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.UnavailableException;

/**
 * The event streams of this replica ({@code GET /api/v1/events/stream}): each reads the log after its cursor a page
 * at a time, the next page only once the previous one was written to the client (demand), so a slow client holds
 * at most one page; caught up, it waits until events are numbered ({@link EventsNumbered}) or
 * {@code poll-interval} has passed, and writes a keep-alive when it wrote nothing for {@code stream-heartbeat}.
 * At most {@code max-streams} at once; all end when the replica shuts down (clients resume with Last-Event-ID).
 */
@ApplicationScoped
public class EventStreams {

    /** Events read per statement, and at most held per stream. */
    static final int PAGE = 100;
    /** When a refused client may try again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration READ_RETRY = Duration.ofMillis(200);
    private static final int READ_ATTEMPTS = 5;
    /** Marks the end of a stream; never written. Its own instance: compared by identity, unlike List.of(). */
    private static final List<Item> END = java.util.Collections.unmodifiableList(new ArrayList<>());

    /** One thing to write: an event (its id, type and CloudEvent JSON on one line) or a keep-alive comment. */
    public record Item(String id, String type, String json) {

        static final Item KEEP_ALIVE = new Item(null, null, null);

        public boolean keepAlive() {
            return id == null;
        }
    }

    private final EventLog log;
    private final EventsNumbered numbered;
    private final EventsConfig config;
    private final ObjectMapper mapper;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean stopping;

    public EventStreams(EventLog log, EventsNumbered numbered, EventsConfig config, ObjectMapper mapper) {
        this.log = log;
        this.numbered = numbered;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * A stream of the events after {@code after} (filtered like the paged feed), then of those numbered later, until
     * the client goes away or the replica stops. Refused (503) beyond {@code max-streams} or while stopping; the
     * slot is taken here, before the answer starts, and given back when the stream ends.
     */
    public Multi<Item> open(long after, List<String> types, String phoneNumberId) {
        if (stopping) {
            throw new UnavailableException("Shutting down",
                    "This replica is shutting down; reconnect (to another replica) with Last-Event-ID.", RETRY_AFTER);
        }
        if (count.incrementAndGet() > config.maxStreams()) {
            count.decrementAndGet();
            throw new UnavailableException("Too many event streams", "This replica serves at most "
                    + config.maxStreams() + " event streams (gateway.events.max-streams); retry later.", RETRY_AFTER);
        }
        Stream stream = new Stream(after, types, phoneNumberId, System.nanoTime());
        open.add(stream);
        return Multi.createBy().repeating().uni(() -> next(stream)).until(page -> page == END)
                .onItem().transformToIterable(page -> page)
                .onTermination().invoke(() -> release(stream));
    }

    /** The next page to write, a keep-alive, nothing (read again) or {@link #END}. */
    private Uni<List<Item>> next(Stream stream) {
        if (stream.ended.get()) {
            return Uni.createFrom().item(END);
        }
        // read before the log: events numbered while reading make the wait below return at once
        long seen = numbered.firings();
        return log.after(stream.cursor, stream.types, stream.phoneNumberId, PAGE)
                .onFailure().retry().withBackOff(READ_RETRY, READ_RETRY.multipliedBy(10)).atMost(READ_ATTEMPTS)
                .chain(page -> {
                    long now = System.nanoTime();
                    if (!page.isEmpty()) {
                        stream.cursor = Long.parseLong(page.get(page.size() - 1).id());
                        stream.lastWrite = now;
                        return Uni.createFrom().item(items(page));
                    }
                    long quiet = config.streamHeartbeat().toNanos() - (now - stream.lastWrite);
                    if (quiet <= 0) {
                        stream.lastWrite = now;
                        return Uni.createFrom().item(List.of(Item.KEEP_ALIVE));
                    }
                    Duration wait = Duration.ofNanos(Math.min(quiet, config.pollInterval().toNanos()));
                    // woken by a numbering; the timeout is the keep-alive and the safety re-read
                    return numbered.since(seen).ifNoItem().after(wait).recoverWithItem((Void) null)
                            .replaceWith(List.<Item> of());
                });
    }

    private List<Item> items(List<CloudEvent> page) {
        List<Item> out = new ArrayList<>(page.size());
        for (CloudEvent event : page) {
            try {
                out.add(new Item(event.id(), event.type(), mapper.writeValueAsString(event)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("event " + event.id() + " is not serialisable", e);
            }
        }
        return out;
    }

    private void release(Stream stream) {
        if (open.remove(stream)) {
            count.decrementAndGet();
        }
    }

    /** Ends every open stream after what it is writing (clients resume with Last-Event-ID). */
    void endAll() {
        open.forEach(stream -> stream.ended.set(true));
        // wakes the waiting ones, which then see they have ended
        numbered.fire();
    }

    /**
     * Shutdown: refuse new streams and end the open ones. The delay event comes before the HTTP server waits for
     * open requests (quarkus.shutdown.delay-enabled), so streams do not hold the shutdown until its timeout.
     */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
        endAll();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
        endAll();
    }

    /** Streams open on this replica. */
    public int open() {
        return count.get();
    }

    /** One stream's position. Fields are touched by one step of its stream at a time. */
    private static final class Stream {
        final List<String> types;
        final String phoneNumberId;
        final AtomicBoolean ended = new AtomicBoolean();
        volatile long cursor;
        volatile long lastWrite;

        Stream(long cursor, List<String> types, String phoneNumberId, long now) {
            this.cursor = cursor;
            this.types = types;
            this.phoneNumberId = phoneNumberId;
            this.lastWrite = now;
        }
    }
}
