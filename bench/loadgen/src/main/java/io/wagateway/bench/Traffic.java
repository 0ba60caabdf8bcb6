package io.wagateway.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Meta's real traffic ({@code traffic} mode): conversation turns of one inbound message, one reply sent through the
 * admin API ({@code POST /api/v1/messages}) and that reply's statuses. The service sends the replies to a Graph
 * API stand-in served here; for every accepted send the stand-in gives the wamid and queues its statuses (sent,
 * delivered, read; one send in {@code --fail-every} gets sent then failed, with Meta's error). One send in
 * {@code --early-every} has its first status delivered by the stand-in before it answers the send, so it arrives
 * before the service has stored the message (the pending-status path). Queued statuses are taken in random order,
 * so a message's statuses arrive shuffled. Deliveries (messages and statuses) are counted and timed as webhook
 * deliveries; sends separately. Closed loop ({@code --concurrency}) or open loop ({@code --rate}: actions per
 * second, latency from each action's intended time). {@code --expect FILE} receives "wamid,final status" per send.
 */
final class Traffic {

    private static final Pattern TO = Pattern.compile("\"to\"\\s*:\\s*\"([^\"]+)\"");

    private final LoadGen lg;
    private final LoadGen.Payloads p;
    private final String phase;
    private final LoadGen admin;
    private final String adminKey;
    private final int turns;
    private final int senders;
    private final int earlyEvery;
    private final int failEvery;
    private final LoadGen.Stats deliveries = new LoadGen.Stats();
    private final LoadGen.Stats sends = new LoadGen.Stats();
    private final AtomicInteger inboundLeft;
    private final AtomicInteger sendLeft;
    private final AtomicInteger sendsInFlight = new AtomicInteger();
    private final AtomicLong wamidSeq = new AtomicLong();
    private final AtomicInteger early = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<LoadGen.Item> bag = new ArrayList<>();
    private final Map<String, String> expected = new ConcurrentHashMap<>();

    private Traffic(LoadGen lg, LoadGen.Payloads p, String phase, URI adminUrl, String adminKey, int turns, int senders,
            int earlyEvery, int failEvery, int connections) {
        this.lg = lg;
        this.p = p;
        this.phase = phase;
        this.admin = new LoadGen(adminUrl, connections, 30000);
        this.adminKey = adminKey;
        this.turns = turns;
        this.senders = senders;
        this.earlyEvery = earlyEvery;
        this.failEvery = failEvery;
        this.inboundLeft = new AtomicInteger(turns);
        this.sendLeft = new AtomicInteger(turns);
    }

    static void run(LoadGen.Args a, LoadGen lg, LoadGen.Payloads p, String phase, int concurrency) throws Exception {
        int connections = Math.max(concurrency, 64);
        Traffic t = new Traffic(lg, p, phase, URI.create(a.req("admin-url")), a.req("admin-key"), a.i("turns", 2000),
                a.i("senders", 1000), a.i("early-every", 4), a.i("fail-every", 20), connections);
        HttpServer graph = t.standIn(a.i("graph-port", 18095));
        double rate = a.d("rate", 0);
        if (rate > 0) {
            t.open(rate);
        } else {
            t.closed(concurrency);
        }
        graph.close();
        t.admin.close();
        if (a.m.containsKey("expect")) {
            List<String> lines = new ArrayList<>(t.expected.size());
            t.expected.forEach((wamid, status) -> lines.add(wamid + "," + status));
            Files.write(Path.of(a.m.get("expect")), lines, StandardCharsets.UTF_8);
        }
        if (a.m.containsKey("acked")) {
            Files.write(Path.of(a.m.get("acked")), t.deliveries.acked, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        double secs = (t.deliveries.tEnd - t.deliveries.t0) / 1e9;
        String extra = String.format(Locale.ROOT, "\"mode\":\"traffic\",\"phase\":\"%s\",\"concurrency\":%d,"
                + "\"target_rate\":%s,\"turns\":%d,\"sends\":{\"ok\":%d,\"requests\":%d,\"per_s\":%.1f,\"codes\":%s,"
                + "\"p50_ms\":%.3f,\"p99_ms\":%.3f},\"early_statuses\":%d,\"failed_sends\":%d,\"expected\":%d,"
                + "\"loadgen_cpu_s\":%.2f", phase, concurrency, rate > 0 ? Double.toString(rate) : "null", t.turns,
                t.sends.ok.sum(), t.sends.done.sum(), t.sends.ok.sum() / secs, codes(t.sends),
                t.sends.hist.getValueAtPercentile(50) / 1e6, t.sends.hist.getValueAtPercentile(99) / 1e6,
                t.early.get(), t.failed.get(), t.expected.size(), (t.deliveries.cpu1 - t.deliveries.cpu0) / 1e9);
        String json = t.deliveries.json(extra);
        if (a.m.containsKey("out")) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(a.m.get("out"))))) {
                w.println(json);
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d deliveries, %d ok, %.1f ok/s, p50 %.2f ms, p99 %.2f ms, codes %s; "
                + "%d sends ok (%s), %d early statuses, %d failed sends%n", phase, t.deliveries.done.sum(),
                t.deliveries.ok.sum(), t.deliveries.ok.sum() / secs, t.deliveries.hist.getValueAtPercentile(50) / 1e6,
                t.deliveries.hist.getValueAtPercentile(99) / 1e6, new TreeMap<>(t.deliveries.codes), t.sends.ok.sum(),
                new TreeMap<>(t.sends.codes), t.early.get(), t.failed.get());
    }

    private static String codes(LoadGen.Stats st) {
        StringBuilder b = new StringBuilder("{");
        new TreeMap<>(st.codes).forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k)
                .append("\":").append(v.sum()));
        return b.append('}').toString();
    }

    // --- the Graph API stand-in -----------------------------------------------------------------------

    private HttpServer standIn(int port) throws Exception {
        HttpServer server = lg.vertx.createHttpServer();
        server.requestHandler(req -> req.body().onSuccess(body -> {
            if (req.method() != HttpMethod.POST || !req.path().endsWith("/messages")) {
                req.response().setStatusCode(404).end();
                return;
            }
            Matcher to = TO.matcher(body.toString());
            String waId = to.find() ? to.group(1).replace("+", "") : "0";
            long seq = wamidSeq.getAndIncrement();
            String wamid = "wamid.BENCH" + p.runId + "." + phase + ".out." + seq;
            boolean fails = failEvery > 0 && seq % failEvery == failEvery - 1;
            long ts = System.currentTimeMillis() / 1000;
            List<LoadGen.Item> statuses = new ArrayList<>(3);
            statuses.add(status(wamid, "sent", ts, waId));
            if (fails) {
                statuses.add(failedStatus(wamid, ts + 1, waId));
                failed.incrementAndGet();
            } else {
                statuses.add(status(wamid, "delivered", ts + 1, waId));
                statuses.add(status(wamid, "read", ts + 2, waId));
            }
            expected.put(wamid, fails ? "failed" : "read");
            String answer = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + waId + "\",\"wa_id\":\""
                    + waId + "\"}],\"messages\":[{\"id\":\"" + wamid + "\"}]}";
            Runnable reply = () -> req.response().putHeader("Content-Type", "application/json").end(answer);
            if (earlyEvery > 0 && seq % earlyEvery == 1) {
                // the first status before the send is answered: it reaches the service before the message is stored
                early.incrementAndGet();
                LoadGen.Item first = statuses.remove(0);
                addAll(statuses);
                lg.send(first, System.nanoTime(), deliveries, reply);
            } else {
                addAll(statuses);
                reply.run();
            }
        }));
        CountDownLatch up = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        server.listen(port, "127.0.0.1").onComplete(ar -> {
            failure[0] = ar.cause();
            up.countDown();
        });
        up.await();
        if (failure[0] != null) {
            throw new IllegalStateException("the Graph stand-in cannot listen on " + port, failure[0]);
        }
        return server;
    }

    private LoadGen.Item status(String wamid, String status, long ts, String waId) {
        String extra = status.equals("read") ? "" : ",\"conversation\":{\"id\":\"5a1f6c0d9b2e4f7a8c3d1e0b2a4f6c8d\","
                + "\"origin\":{\"type\":\"service\"}},\"pricing\":{\"billable\":true,\"pricing_model\":\"PMP\","
                + "\"type\":\"regular\",\"category\":\"utility\"}";
        return item(wamid, status, "{\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + ts
                + "\",\"recipient_id\":\"" + waId + "\"" + extra + "}");
    }

    private LoadGen.Item failedStatus(String wamid, long ts, String waId) {
        return item(wamid, "failed", "{\"id\":\"" + wamid + "\",\"status\":\"failed\",\"timestamp\":\"" + ts
                + "\",\"recipient_id\":\"" + waId + "\",\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\","
                + "\"message\":\"Message undeliverable\",\"error_data\":{\"details\":\"Message Undeliverable.\"}}]}");
    }

    private LoadGen.Item item(String wamid, String status, String statusJson) {
        byte[] body = LoadGen.Payloads.envelope("\"statuses\":[" + statusJson + "]").getBytes(StandardCharsets.UTF_8);
        return new LoadGen.Item(body, p.sign(body), wamid, status);
    }

    private synchronized void addAll(List<LoadGen.Item> statuses) {
        bag.addAll(statuses);
    }

    /** A queued status at random (so a message's statuses arrive shuffled); null when none is queued. */
    private synchronized LoadGen.Item takeStatus() {
        int n = bag.size();
        if (n == 0) {
            return null;
        }
        int i = ThreadLocalRandom.current().nextInt(n);
        LoadGen.Item it = bag.get(i);
        bag.set(i, bag.get(n - 1));
        bag.remove(n - 1);
        return it;
    }

    // --- the driver -----------------------------------------------------------------------------------

    /** What to do next: a status (3 in 5 while any is queued), else the turn's inbound message or its send. */
    private Runnable next(long startNs, Runnable then) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        LoadGen.Item status = rnd.nextInt(5) < 3 ? takeStatus() : null;
        if (status != null) {
            return () -> lg.send(status, startNs, deliveries, then);
        }
        boolean inbound = inboundLeft.get() > 0 && (sendLeft.get() == 0 || rnd.nextBoolean());
        if (inbound) {
            int i = inboundLeft.decrementAndGet();
            if (i >= 0) {
                LoadGen.Item it = p.text(phase, turns - 1 - i);
                return () -> lg.send(it, startNs, deliveries, then);
            }
        }
        int s = sendLeft.decrementAndGet();
        if (s >= 0) {
            return () -> send(turns - 1 - s, startNs, then);
        }
        LoadGen.Item last = takeStatus();
        if (last != null) {
            return () -> lg.send(last, startNs, deliveries, then);
        }
        return null;
    }

    private boolean finished() {
        synchronized (this) {
            if (!bag.isEmpty()) {
                return false;
            }
        }
        return inboundLeft.get() <= 0 && sendLeft.get() <= 0 && sendsInFlight.get() == 0;
    }

    private void send(int seq, long startNs, Runnable then) {
        sendsInFlight.incrementAndGet();
        String body = "{\"to\":\"+" + LoadGen.Payloads.waId(seq % senders) + "\",\"type\":\"text\",\"text\":{\"body\":"
                + "\"Your order #" + seq + " has shipped and arrives tomorrow.\"}}";
        RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(admin.host).setPort(admin.port)
                .setURI(admin.path).setTimeout(admin.timeoutMs).putHeader("Content-Type", "application/json")
                .putHeader("Authorization", "Bearer " + adminKey);
        Future<Integer> answer = admin.client.request(ro).compose(req -> req.send(Buffer.buffer(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode())));
        answer.onComplete(ar -> {
            int code = ar.succeeded() ? ar.result() : 0;
            // 2xx = sent; the stats count 200 as ok, so a 201/202 is recorded as 200
            sends.result(new LoadGen.Item(null, null, null, null), code >= 200 && code < 300 ? 200 : code,
                    ar.failed() ? ar.cause() : null, System.nanoTime() - startNs);
            sendsInFlight.decrementAndGet();
            then.run();
        });
    }

    private void closed(int concurrency) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(concurrency);
        start(deliveries);
        start(sends);
        for (int w = 0; w < concurrency; w++) {
            new Object() {
                void next() {
                    Runnable action = Traffic.this.next(System.nanoTime(), this::next);
                    if (action != null) {
                        action.run();
                    } else if (finished()) {
                        latch.countDown();
                    } else {
                        // statuses still to come from sends in flight
                        lg.vertx.setTimer(1, id -> next());
                    }
                }
            }.next();
        }
        latch.await();
        end(deliveries);
        end(sends);
    }

    private void open(double perSec) throws InterruptedException {
        start(deliveries);
        start(sends);
        AtomicInteger inFlight = new AtomicInteger();
        long t0 = System.nanoTime() + 20_000_000L;
        deliveries.t0 = t0;
        for (long i = 0;; i++) {
            long intended = t0 + (long) (i * 1e9 / perSec);
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(Math.min(intended - now, 200_000L));
            }
            inFlight.incrementAndGet();
            Runnable action = next(intended, inFlight::decrementAndGet);
            if (action == null) {
                inFlight.decrementAndGet();
                if (finished()) {
                    break;
                }
                continue;
            }
            action.run();
        }
        while (inFlight.get() > 0) {
            LockSupport.parkNanos(1_000_000L);
        }
        end(deliveries);
        end(sends);
    }

    private static void start(LoadGen.Stats st) {
        st.t0 = System.nanoTime();
        st.t0EpochMs = System.currentTimeMillis();
        st.cpu0 = LoadGen.processCpuNs();
    }

    private static void end(LoadGen.Stats st) {
        st.tEnd = System.nanoTime();
        st.cpu1 = LoadGen.processCpuNs();
    }

}
