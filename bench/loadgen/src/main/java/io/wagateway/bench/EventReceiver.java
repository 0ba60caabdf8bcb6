package io.wagateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The subscriber side of the event-feed benchmark ({@code LoadGen receive}): a Vert.x HTTP server on loopback that
 * receives the service's Standard-Webhooks-signed CloudEvent POSTs. Every request is checked
 * ({@code webhook-signature: v1,<base64 HMAC-SHA256(key, id.timestamp.body)>}, key = base64-decoded secret after
 * {@code whsec_}); a bad signature, a missing header or a timestamp more than 300 s off is answered 401 and counted.
 * Accepted events are answered 204 and recorded (receiving path, webhook-id, type, subject, data.messageId, arrival
 * time in epoch microseconds); a webhook-id accepted before on the same path is a duplicate (a redelivery), and an
 * event whose id is lower than the highest one accepted earlier for the same subject (duplicates left out) is an
 * order violation.
 * <p>
 * Control port (loopback, plain GET): {@code /mode?m=ok|503|refuse|slow&delay=MS} (503: answer every event 503;
 * refuse: close the listening socket so connections are refused; slow: answer after MS milliseconds),
 * {@code /stats} (JSON per path), {@code /dump?file=F} (every accepted event as a TSV line:
 * path, webhook-id, type, subject, messageId, arrival µs, duplicate 0/1, in arrival order).
 * One event loop runs both servers: the handlers share the counters without locks.
 */
final class EventReceiver {

    static final long TOLERANCE_S = 300;

    static final class Tally {
        long received, accepted, rejected503, badSignature, stale, idMismatch, duplicates, orderViolations;
        long maxEventId;
        long lastArrivalUs;
        final Set<Long> seen = new HashSet<>();
        final Map<String, Long> lastBySubject = new HashMap<>();
        final Map<String, Long> types = new TreeMap<>();

        String json() {
            StringBuilder t = new StringBuilder("{");
            for (var e : types.entrySet()) {
                if (t.length() > 1) t.append(',');
                t.append('"').append(e.getKey()).append("\":").append(e.getValue());
            }
            t.append('}');
            return String.format(Locale.ROOT, "{\"received\":%d,\"accepted\":%d,\"distinct\":%d,\"rejected_503\":%d,"
                            + "\"bad_signature\":%d,\"stale_timestamp\":%d,\"id_mismatch\":%d,\"duplicates\":%d,"
                            + "\"order_violations\":%d,\"max_event_id\":%d,\"last_arrival_us\":%d,\"types\":%s}",
                    received, accepted, seen.size(), rejected503, badSignature, stale, idMismatch, duplicates,
                    orderViolations, maxEventId, lastArrivalUs, t);
        }
    }

    record Rec(String path, String id, String type, String subject, String messageId, long arrivalUs, boolean duplicate) {}

    final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
            .setPreferNativeTransport(false));
    final byte[] key;
    final int port;
    final Map<String, Tally> tallies = new TreeMap<>();
    final List<Rec> records = new ArrayList<>();
    String mode = "ok";
    long delayMs;
    HttpServer server;
    final ThreadLocal<Mac> mac;

    EventReceiver(String secret, int port) {
        if (!secret.startsWith("whsec_")) throw new IllegalArgumentException("--secret must start with whsec_");
        this.key = Base64.getDecoder().decode(secret.substring(6));
        this.port = port;
        this.mac = LoadGen.hmacSha256(key);
    }

    /** The Standard Webhooks signature of (id, timestamp, body): "v1," + base64(HMAC-SHA256). */
    String sign(String id, String ts, Buffer body) {
        Mac m = mac.get();
        m.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(m.doFinal(body.getBytes()));
    }

    boolean signatureOk(String id, String ts, String header, Buffer body) {
        if (id == null || ts == null || header == null) return false;
        byte[] expected = sign(id, ts, body).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String s : header.split(" ")) {
            ok |= MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            long at = LoadGen.epochMicros();
            Tally t = tallies.computeIfAbsent(req.path(), p -> new Tally());
            t.received++;
            if (mode.equals("503")) {
                t.rejected503++;
                req.response().setStatusCode(503).end();
                return;
            }
            String id = req.getHeader("webhook-id");
            String ts = req.getHeader("webhook-timestamp");
            if (!signatureOk(id, ts, req.getHeader("webhook-signature"), body)) {
                t.badSignature++;
                req.response().setStatusCode(401).end();
                return;
            }
            if (Math.abs(at / 1_000_000L - Long.parseLong(ts)) > TOLERANCE_S) {
                t.stale++;
                req.response().setStatusCode(401).end();
                return;
            }
            JsonObject ev = body.toJsonObject();
            if (!id.equals(ev.getString("id"))) t.idMismatch++;
            Runnable accept = () -> {
                long eventId = Long.parseLong(id);
                String subject = ev.getString("subject");
                String type = ev.getString("type");
                JsonObject data = ev.getJsonObject("data");
                String messageId = data == null ? null : data.getString("messageId");
                long now = delayMs > 0 ? LoadGen.epochMicros() : at;
                t.accepted++;
                t.lastArrivalUs = now;
                t.types.merge(type, 1L, Long::sum);
                boolean dup = !t.seen.add(eventId);
                if (dup) {
                    t.duplicates++;
                } else {
                    t.maxEventId = Math.max(t.maxEventId, eventId);
                    if (subject != null) {
                        Long last = t.lastBySubject.get(subject);
                        if (last != null && last > eventId) t.orderViolations++;
                        else t.lastBySubject.put(subject, eventId);
                    }
                }
                records.add(new Rec(req.path(), id, type, subject, messageId, now, dup));
                req.response().setStatusCode(204).end();
            };
            if (mode.equals("slow") && delayMs > 0) vertx.setTimer(delayMs, x -> accept.run());
            else accept.run();
        });
    }

    Future<Void> listen() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
                .setReuseAddress(true));
        return server.requestHandler(this::handle).listen().mapEmpty();
    }

    /** Runs on the event loop, like the event handler: no locks needed. */
    Future<String> control(HttpServerRequest req) {
        switch (req.path()) {
            case "/mode" -> {
                String m = req.getParam("m", "ok");
                long delay = Long.parseLong(req.getParam("delay", "0"));
                Future<Void> f = Future.succeededFuture();
                if (m.equals("refuse") && server != null) {
                    HttpServer s = server;
                    server = null;
                    f = s.close();
                } else if (!m.equals("refuse") && server == null) {
                    f = listen();
                }
                return f.map(x -> {
                    mode = m;
                    delayMs = delay;
                    return "{\"mode\":\"" + m + "\",\"delay_ms\":" + delay + "}";
                });
            }
            case "/stats" -> {
                StringBuilder b = new StringBuilder("{\"mode\":\"" + mode + "\",\"now_us\":" + LoadGen.epochMicros()
                        + ",\"paths\":{");
                boolean first = true;
                for (var e : tallies.entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    b.append('"').append(e.getKey()).append("\":").append(e.getValue().json());
                }
                return Future.succeededFuture(b.append("}}").toString());
            }
            case "/dump" -> {
                // written on the event loop (the bench dumps when the feed is drained): a consistent snapshot
                try (BufferedWriter w = Files.newBufferedWriter(Path.of(req.getParam("file")))) {
                    for (Rec r : records) {
                        w.write(r.path() + "\t" + r.id() + "\t" + r.type() + "\t" + r.subject() + "\t" + r.messageId()
                                + "\t" + r.arrivalUs() + "\t" + (r.duplicate() ? 1 : 0) + "\n");
                    }
                } catch (IOException e) {
                    return Future.failedFuture(e);
                }
                return Future.succeededFuture("{\"records\":" + records.size() + "}");
            }
            default -> {
                return Future.failedFuture("unknown control path " + req.path());
            }
        }
    }

    static void run(String secret, int port, int controlPort) throws Exception {
        EventReceiver r = new EventReceiver(secret, port);
        r.listen().toCompletionStage().toCompletableFuture().get();
        r.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(controlPort)).requestHandler(req ->
                req.body().compose(b -> r.control(req)).onComplete(ar -> {
                    if (ar.succeeded()) {
                        req.response().putHeader("Content-Type", "application/json").end(ar.result() + "\n");
                    } else {
                        req.response().setStatusCode(400).end(ar.cause() + "\n");
                    }
                })).listen().toCompletionStage().toCompletableFuture().get();
        System.out.println("receiver on 127.0.0.1:" + port + ", control on 127.0.0.1:" + controlPort);
        System.out.flush();
        Thread.currentThread().join();
    }
}
