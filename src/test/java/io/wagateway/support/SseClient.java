package io.wagateway.support;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.restassured.RestAssured;

/**
 * Reads a Server-Sent Events answer line by line as it arrives (not once it ended), on its own thread: events and
 * comments are queued for the test to take with a timeout.
 */
public final class SseClient implements AutoCloseable {

    /** One dispatched event, or a comment line ({@code comment} set, the rest null). */
    public record Event(String id, String type, String data, String comment) {
    }

    private static final Event END = new Event(null, null, null, null);
    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> received = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code path} with the query and headers given (the answer's head has arrived on return). */
    public static SseClient open(String path, Map<String, String> query, Map<String, String> headers) {
        String q = query.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path
                + (q.isEmpty() ? "" : "?" + q))).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        try {
            HttpResponse<Stream<String>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .build().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
            return new SseClient(response);
        } catch (Exception e) {
            throw new IllegalStateException("stream not opened: " + e, e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<Stream<String>> response() {
        return response;
    }

    private void read() {
        String id = null;
        String type = null;
        StringBuilder data = null;
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        received.add(new Event(id, type, data.toString(), null));
                    }
                    id = null;
                    type = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    received.add(new Event(null, null, null, line.substring(1).trim()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // closed by the test, or the connection dropped: the stream has ended either way
        } finally {
            ended = true;
            received.add(END);
        }
    }

    /** The next event (comments skipped); fails after {@code within}. */
    public Event nextEvent(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Event next = take(deadline);
            if (next.comment() == null) {
                return next;
            }
        }
    }

    /** The next {@code n} events (comments skipped). */
    public List<Event> nextEvents(int n, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<Event> out = new ArrayList<>();
        while (out.size() < n) {
            out.add(nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
        }
        return out;
    }

    /** The next comment (events before it are returned in {@code skipped} order but dropped). */
    public String nextComment(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Event next = take(deadline);
            if (next.comment() != null) {
                return next.comment();
            }
        }
    }

    /** Nothing but comments arrives for {@code during}: true; an event arrives: false. */
    public boolean quietFor(Duration during) {
        long deadline = System.nanoTime() + during.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            Event next;
            try {
                next = received.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (next == null) {
                return true;
            }
            if (next == END) {
                received.add(END);
                return true;
            }
            if (next.comment() == null) {
                return false;
            }
        }
    }

    /** Waits for the server to end the stream; true when it did within {@code within}. */
    public boolean awaitEnd(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!ended || !received.isEmpty()) {
            try {
                Event next = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == END) {
                    return true;
                }
                if (next == null) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private Event take(long deadline) {
        try {
            Event next = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("nothing arrived on the stream in time");
            }
            if (next == END) {
                received.add(END);
                throw new AssertionError("the stream ended");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        response.body().close();
    }
}
