package io.wagateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Load generator for the webhook receiver. Every body is a Meta delivery (one text message or one status),
 * signed with X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, body bytes)); every wamid is unique
 * across a run (run id + phase + sequence number). Modes:
 * <ul>
 *   <li>{@code closed}: C connections, each with one request outstanding (closed loop), --count N requests
 *       (pre-generated and pre-signed) or --duration seconds (generated on the fly);</li>
 *   <li>{@code rate}: open loop at a fixed rate; latency is measured from each request's intended send time,
 *       so a stalled server cannot hide its queueing (no coordinated omission);</li>
 *   <li>{@code mix}: 1 new text message : 3 statuses (sent, delivered, read) for messages stored earlier
 *       (wamids from --acked-in), shuffled, closed loop;</li>
 *   <li>{@code traffic}: Meta's real traffic, inbound messages, replies sent through the admin API to a Graph
 *       stand-in served here, and their statuses ({@link Traffic});</li>
 *   <li>{@code bad}: like closed/--duration, plus concurrent malformed / unsigned / badly signed / oversized
 *       requests and slow-loris sockets;</li>
 *   <li>{@code receive}: the event-feed subscriber ({@link EventReceiver}): verifies each signed CloudEvent
 *       POST, records it, counts bad signatures, duplicates and per-session order violations;</li>
 *   <li>{@code prepare}: writes --count pre-signed text deliveries to --out (wamid TAB signature TAB body per
 *       line) for wrk, which drives the closed-loop levels (bench/wrk/deliveries.lua).</li>
 * </ul>
 * Results: a JSON file (--out), the acknowledged (HTTP 200) message wamids appended to --acked, and for mix
 * the acknowledged statuses to --status-acked ("wamid,status" lines); --acked-times FILE also appends
 * "wamid TAB epoch µs of the 200" for the measured phase (the event-feed latency, bench/events.sh).
 */
public final class LoadGen {

    static final String PHONE_NUMBER_ID = "118234567890123";
    static final String[] STATUSES = {"sent", "delivered", "read"};

    // ---------------------------------------------------------------------------------------------------
    record Item(byte[] body, String sig, String wamid, String status) {}

    static final class Args {
        final Map<String, String> m = new HashMap<>();
        final String mode;

        Args(String[] a) {
            if (a.length == 0) {
                throw new IllegalArgumentException("usage: LoadGen closed|rate|mix|bad|prepare|receive|sign --url URL --secret S ...");
            }
            mode = a[0];
            for (int i = 1; i < a.length; i++) {
                if (!a[i].startsWith("--") || i + 1 >= a.length) {
                    throw new IllegalArgumentException("bad argument " + a[i]);
                }
                m.put(a[i].substring(2), a[++i]);
            }
        }

        String s(String k, String d) { return m.getOrDefault(k, d); }
        String req(String k) {
            String v = m.get(k);
            if (v == null) throw new IllegalArgumentException("--" + k + " is required");
            return v;
        }
        int i(String k, int d) { return m.containsKey(k) ? Integer.parseInt(m.get(k)) : d; }
        double d(String k, double d) { return m.containsKey(k) ? Double.parseDouble(m.get(k)) : d; }
    }

    // --- payloads --------------------------------------------------------------------------------------

    /** One HMAC-SHA256 instance per thread for {@code key} (the webhook signer and the event receiver's check). */
    static ThreadLocal<Mac> hmacSha256(byte[] key) {
        return ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
    static final class Payloads {
        final byte[] key;
        final String runId;
        final int senders;
        final ThreadLocal<Mac> mac;

        Payloads(String secret, String runId, int senders) {
            this.key = secret.getBytes(StandardCharsets.UTF_8);
            this.runId = runId;
            this.senders = senders;
            this.mac = hmacSha256(key);
        }

        static final char[] HEX = "0123456789abcdef".toCharArray();

        String sign(byte[] body) {
            byte[] d = mac.get().doFinal(body);
            char[] c = new char[7 + 64];
            "sha256=".getChars(0, 7, c, 0);
            for (int i = 0; i < d.length; i++) {
                c[7 + 2 * i] = HEX[(d[i] >> 4) & 0xf];
                c[8 + 2 * i] = HEX[d[i] & 0xf];
            }
            return new String(c);
        }

        String wamid(String phase, long seq) {
            return "wamid.BENCH" + runId + "." + phase + "." + seq;
        }

        static String waId(int sender) {
            return "447700" + (900000 + sender);
        }

        static String envelope(String value) {
            return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"204567891234567\",\"changes\":[{\"value\":"
                    + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15557654321\","
                    + "\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"}," + value + "},\"field\":\"messages\"}]}]}";
        }

        static String textJson(String wamid, String waId, long ts, String text) {
            return envelope("\"contacts\":[{\"profile\":{\"name\":\"Bench Sender " + waId.substring(6) + "\"},\"wa_id\":\""
                    + waId + "\"}],\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + ts
                    + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}]");
        }

        Item text(String phase, long seq) {
            String wamid = wamid(phase, seq);
            String waId = waId((int) (seq % senders));
            long ts = System.currentTimeMillis() / 1000;
            byte[] body = textJson(wamid, waId, ts, "Hi! Is my order #" + seq + " on its way?")
                    .getBytes(StandardCharsets.UTF_8);
            return new Item(body, sign(body), wamid, null);
        }

        Item status(String wamid, String status, long ts, int sender) {
            String extra = status.equals("read") ? "" :
                    ",\"conversation\":{\"id\":\"5a1f6c0d9b2e4f7a8c3d1e0b2a4f6c8d\",\"expiration_timestamp\":\"" + (ts + 86400)
                            + "\",\"origin\":{\"type\":\"service\"}},\"pricing\":{\"billable\":false,\"pricing_model\":\"PMP\","
                            + "\"type\":\"free_customer_service\",\"category\":\"service\"}";
            byte[] body = envelope("\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + ts
                    + "\",\"recipient_id\":\"" + waId(sender) + "\"" + extra + "}]").getBytes(StandardCharsets.UTF_8);
            return new Item(body, sign(body), wamid, status);
        }
    }

    // --- statistics ------------------------------------------------------------------------------------
    static final class Stats {
        final Histogram hist = new Histogram(TimeUnit.SECONDS.toNanos(300), 3);
        final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        final LongAdder ok = new LongAdder();
        final LongAdder done = new LongAdder();
        final AtomicLongArray timeline = new AtomicLongArray(4 * 3600); // per second: 200, 503, other code, exception
        final AtomicLongArray maxPerSec = new AtomicLongArray(3600);  // slowest answer completed in each second (ns)
        final AtomicLongArray slowPerSec = new AtomicLongArray(3600); // answers over 25 ms completed in each second
        final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> ackedStatuses = new ConcurrentLinkedQueue<>();
        /** "wamid TAB epoch µs" of each acknowledged message, when the run records them (--acked-times) */
        final ConcurrentLinkedQueue<String> ackedTimes = new ConcurrentLinkedQueue<>();
        static volatile boolean recordAckTimes;
        volatile long t0 = System.nanoTime();
        volatile long tEnd;
        volatile long t0EpochMs = System.currentTimeMillis();
        volatile long cpu0 = processCpuNs();
        volatile long cpu1;

        synchronized void latency(long ns) {
            hist.recordValue(Math.max(0, Math.min(ns, hist.getHighestTrackableValue())));
        }

        void result(Item it, int code, Throwable err, long latencyNs) {
            long now = System.nanoTime();
            int sec = (int) Math.min(3599, Math.max(0, (now - t0) / 1_000_000_000L));
            String key;
            if (err != null) {
                key = "exception:" + err.getClass().getSimpleName();
                timeline.incrementAndGet(4 * sec + 3);
            } else {
                key = Integer.toString(code);
                timeline.incrementAndGet(4 * sec + (code == 200 ? 0 : code == 503 ? 1 : 2));
            }
            codes.computeIfAbsent(key, k -> new LongAdder()).increment();
            if (err == null && code == 200) {
                ok.increment();
                if (it.wamid() != null) {
                    if (it.status() == null) {
                        acked.add(it.wamid());
                        if (recordAckTimes) ackedTimes.add(it.wamid() + "\t" + epochMicros());
                    }
                    else ackedStatuses.add(it.wamid() + "," + it.status());
                }
            }
            latency(latencyNs);
            maxPerSec.accumulateAndGet(sec, latencyNs, Math::max);
            if (latencyNs > 25_000_000L) slowPerSec.incrementAndGet(sec);
            done.increment();
        }

        String json(String extra) {
            double secs = (tEnd - t0) / 1e9;
            StringBuilder b = new StringBuilder("{");
            long n = done.sum();
            long okN = ok.sum();
            b.append("\"requests\":").append(n).append(",\"ok\":").append(okN).append(",\"errors\":").append(n - okN)
                    .append(",\"seconds\":").append(String.format(Locale.ROOT, "%.3f", secs))
                    .append(",\"throughput\":").append(String.format(Locale.ROOT, "%.1f", okN / secs))
                    .append(",\"codes\":{");
            boolean first = true;
            for (var e : new TreeMap<>(codes).entrySet()) {
                if (!first) b.append(',');
                first = false;
                b.append('"').append(e.getKey()).append("\":").append(e.getValue().sum());
            }
            b.append("},\"latency_ms\":{");
            synchronized (this) {
                b.append(String.format(Locale.ROOT, "\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,\"mean\":%.3f",
                        hist.getValueAtPercentile(50) / 1e6, hist.getValueAtPercentile(90) / 1e6,
                        hist.getValueAtPercentile(99) / 1e6, hist.getValueAtPercentile(99.9) / 1e6,
                        hist.getMaxValue() / 1e6, hist.getMean() / 1e6));
            }
            b.append("},\"timeline\":[");
            int last = Math.min(3599, (int) ((tEnd - t0) / 1_000_000_000L));
            for (int s = 0; s <= last; s++) {
                if (s > 0) b.append(',');
                b.append('[').append(timeline.get(4 * s)).append(',').append(timeline.get(4 * s + 1)).append(',')
                        .append(timeline.get(4 * s + 2)).append(',').append(timeline.get(4 * s + 3)).append(']');
            }
            b.append("],\"max_ms_per_s\":[");
            for (int s = 0; s <= last; s++) {
                if (s > 0) b.append(',');
                b.append(maxPerSec.get(s) / 1_000_000L);
            }
            b.append("],\"over_25ms_per_s\":[");
            for (int s = 0; s <= last; s++) {
                if (s > 0) b.append(',');
                b.append(slowPerSec.get(s));
            }
            b.append("],\"t0_epoch_ms\":").append(t0EpochMs);
            if (extra != null && !extra.isEmpty()) b.append(',').append(extra);
            return b.append('}').toString();
        }
    }

    // --- HTTP ------------------------------------------------------------------------------------------
    final Vertx vertx;
    final HttpClient client;
    final String host;
    final int port;
    final String path;
    final int timeoutMs;

    LoadGen(URI url, int connections, int timeoutMs) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(false));
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                        .setTcpNoDelay(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        this.host = url.getHost();
        this.port = url.getPort();
        this.path = url.getRawPath();
        this.timeoutMs = timeoutMs;
    }

    Future<Integer> post(byte[] body, String sig) {
        RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI(path)
                .setTimeout(timeoutMs).putHeader("Content-Type", "application/json");
        if (sig != null) ro.putHeader("X-Hub-Signature-256", sig);
        return client.request(ro).compose(req -> req.send(Buffer.buffer(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode())));
    }

    void send(Item it, long startNs, Stats st, Runnable then) {
        post(it.body(), it.sig()).onComplete(ar -> {
            long lat = System.nanoTime() - startNs;
            st.result(it, ar.succeeded() ? ar.result() : 0, ar.failed() ? ar.cause() : null, lat);
            if (then != null) then.run();
        });
    }

    /** Closed loop: concurrency workers, each sends the next item as soon as its previous one completed. */
    Stats closed(int concurrency, Supplier<Item> items, long deadlineNs) throws InterruptedException {
        Stats st = new Stats();
        CountDownLatch latch = new CountDownLatch(concurrency);
        st.t0 = System.nanoTime();
        st.t0EpochMs = System.currentTimeMillis();
        st.cpu0 = processCpuNs();
        for (int w = 0; w < concurrency; w++) {
            new Object() {
                void next() {
                    Item it = System.nanoTime() < deadlineNs ? items.get() : null;
                    if (it == null) {
                        latch.countDown();
                        return;
                    }
                    send(it, System.nanoTime(), st, this::next);
                }
            }.next();
        }
        latch.await();
        st.tEnd = System.nanoTime();
        st.cpu1 = processCpuNs();
        return st;
    }

    /** Open loop at a fixed rate; latency from the intended send time of each request. */
    Stats rate(double perSec, List<Item> items) throws InterruptedException {
        Stats st = new Stats();
        CountDownLatch latch = new CountDownLatch(items.size());
        long t0 = System.nanoTime() + 20_000_000L;
        st.t0 = t0;
        st.t0EpochMs = System.currentTimeMillis() + 20;
        st.cpu0 = processCpuNs();
        for (int i = 0; i < items.size(); i++) {
            long intended = t0 + (long) (i * 1e9 / perSec);
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(Math.min(intended - now, 200_000L));
            }
            send(items.get(i), intended, st, latch::countDown);
        }
        latch.await();
        st.tEnd = System.nanoTime();
        st.cpu1 = processCpuNs();
        return st;
    }

    // --- bad requests ----------------------------------------------------------------------------------
    static final class BadStats {
        final Map<String, Map<String, LongAdder>> byKind = new ConcurrentHashMap<>();

        void add(String kind, String outcome) {
            byKind.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(outcome, k -> new LongAdder()).increment();
        }

        String json() {
            StringBuilder b = new StringBuilder("\"bad\":{");
            boolean f1 = true;
            for (var k : new TreeMap<>(byKind).entrySet()) {
                if (!f1) b.append(',');
                f1 = false;
                b.append('"').append(k.getKey()).append("\":{");
                boolean f2 = true;
                for (var o : new TreeMap<>(k.getValue()).entrySet()) {
                    if (!f2) b.append(',');
                    f2 = false;
                    b.append('"').append(o.getKey()).append("\":").append(o.getValue().sum());
                }
                b.append('}');
            }
            return b.append('}').toString();
        }
    }

    /** Bad HTTP requests, round robin over kinds, on their own connections (own client). */
    static void badHttp(LoadGen bad, Payloads p, int concurrency, long pauseMs, int oversizedEvery, long deadlineNs, BadStats bs,
            CountDownLatch done) {
        AtomicLong seq = new AtomicLong();
        StringBuilder big = new StringBuilder(5 * 1024 * 1024 + 100);
        while (big.length() < 5 * 1024 * 1024) big.append("0123456789abcdef");
        byte[] oversized = Payloads.textJson("wamid.BAD.oversized", "999000000001", 1768466400L, big.toString())
                .getBytes(StandardCharsets.UTF_8);
        String oversizedSig = p.sign(oversized);
        String[] kinds = {"malformed_json", "unsigned", "wrong_signature", "wrong_secret", "oversized_5MB"};
        for (int w = 0; w < concurrency; w++) {
            new Object() {
                void next() {
                    if (System.nanoTime() >= deadlineNs) {
                        done.countDown();
                        return;
                    }
                    long n = seq.getAndIncrement();
                    // 4 small bad kinds round robin; every 20th request is the oversized one
                    String kind = oversizedEvery > 0 && n % oversizedEvery == oversizedEvery - 1 ? kinds[4] : kinds[(int) (n % 4)];
                    String wamid = "wamid.BAD." + p.runId + "." + n;
                    byte[] valid = Payloads.textJson(wamid, "999" + (100000000 + n % 1000), 1768466400L, "bad " + n)
                            .getBytes(StandardCharsets.UTF_8);
                    byte[] body;
                    String sig;
                    switch (kind) {
                        case "malformed_json" -> {
                            body = Buffer.buffer(valid).getBytes(0, valid.length - 7); // truncated JSON, validly signed
                            sig = p.sign(body);
                        }
                        case "unsigned" -> { body = valid; sig = null; }
                        case "wrong_signature" -> { body = valid; sig = "sha256=" + "0".repeat(64); }
                        case "wrong_secret" -> { body = valid; sig = new Payloads("not-the-secret", p.runId, 1).sign(valid); }
                        default -> { body = oversized; sig = oversizedSig; }
                    }
                    bad.post(body, sig).onComplete(ar -> {
                        bs.add(kind, ar.succeeded() ? Integer.toString(ar.result()) : "exception:" + ar.cause().getClass().getSimpleName());
                        if (pauseMs > 0) bad.vertx.setTimer(pauseMs, t -> next()); else next();
                    });
                }
            }.next();
        }
    }

    /** Slow-loris sockets: headers one line per second, or complete headers and a body of 1 byte per second. */
    static Thread slowLoris(String host, int port, String path, int id, long deadlineNs, BadStats bs) {
        Thread t = new Thread(() -> {
            String kind = id % 2 == 0 ? "slowloris_headers" : "slowloris_body";
            String outcome;
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
                s.setSoTimeout(50);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n").getBytes());
                if (kind.equals("slowloris_body")) {
                    out.write(("Content-Length: 100000\r\nX-Hub-Signature-256: sha256=" + "1".repeat(64) + "\r\n\r\n{").getBytes());
                }
                out.flush();
                int line = 0;
                outcome = "open_at_end";
                while (System.nanoTime() < deadlineNs) {
                    try {
                        int r = in.read();
                        if (r < 0) {
                            outcome = "closed_by_server";
                            break;
                        }
                        byte[] buf = new byte[200];
                        int n = in.read(buf);
                        String resp = (char) r + new String(buf, 0, Math.max(0, n));
                        outcome = "answered_" + (resp.length() >= 12 ? resp.substring(9, 12) : "?");
                        break;
                    } catch (java.net.SocketTimeoutException e) {
                        // nothing yet
                    }
                    Thread.sleep(950);
                    out.write(kind.equals("slowloris_body") ? "\" ".getBytes() : ("X-Pad-" + (line++) + ": x\r\n").getBytes());
                    out.flush();
                }
            } catch (IOException e) {
                outcome = "closed_by_server";
            } catch (InterruptedException e) {
                outcome = "interrupted";
            }
            long secs = (System.nanoTime() - start) / 1_000_000_000L;
            bs.add(kind, outcome);
            bs.add(kind, "held_seconds_" + (secs < 5 ? "lt5" : secs < 30 ? "5to30" : "ge30"));
        }, "slowloris-" + id);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // --- main ------------------------------------------------------------------------------------------
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        if (a.mode.equals("sign")) { // self-check against the reference test vectors
            System.out.println(new Payloads(a.req("secret"), "x", 1).sign(Files.readAllBytes(Path.of(a.req("file")))));
            return;
        }
        if (a.mode.equals("receive")) { // the subscriber of the event-feed benchmark (bench/events.sh)
            EventReceiver.run(a.req("secret"), a.i("port", 18090), a.i("control-port", 18091));
            return;
        }
        if (a.mode.equals("prepare")) { // pre-signed deliveries for wrk (bench/wrk/deliveries.lua): wamid TAB signature TAB body
            Payloads pp = new Payloads(a.req("secret"), a.req("run-id"), a.i("senders", 1000));
            String ph = a.s("phase", "wrk");
            // --acked-in FILE: the statuses mix of mode mix instead (1 new message : 3 statuses of the stored wamids),
            // each status's first column "wamid:status" (its X-Request-Id, which rate.lua writes back for its 200)
            List<Item> items = new ArrayList<>();
            if (a.m.containsKey("acked-in")) {
                items = mix(pp, ph, Files.readAllLines(Path.of(a.req("acked-in"))), a.i("count", 0));
            } else {
                for (int i = 0; i < a.i("count", 0); i++) items.add(pp.text(ph, i));
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(a.req("out"))))) {
                for (Item it : items) {
                    w.print(it.status() == null ? it.wamid() : it.wamid() + ":" + it.status());
                    w.print('\t');
                    w.print(it.sig());
                    w.print('\t');
                    w.print(new String(it.body(), StandardCharsets.UTF_8));
                    w.print('\n');
                }
            }
            return;
        }
        URI url = URI.create(a.req("url"));
        Payloads p = new Payloads(a.req("secret"), a.req("run-id"), a.i("senders", 1000));
        String phase = a.s("phase", a.mode);
        int concurrency = a.i("concurrency", 32);
        int count = a.i("count", 0);
        double duration = a.d("duration", 0);
        String extra = "\"mode\":\"" + a.mode + "\",\"phase\":\"" + phase + "\",\"concurrency\":" + concurrency;
        int connections = a.mode.equals("rate") ? a.i("connections", 256) : Math.max(concurrency, a.i("connections", concurrency));
        LoadGen lg = new LoadGen(url, connections, a.i("timeout-ms", 30000));
        Stats.recordAckTimes = a.m.containsKey("acked-times");
        Stats st;
        // Warm this JVM's own HTTP path first (its JIT would otherwise compile during the measured phase);
        // these deliveries are real and acknowledged ones are recorded, but they are not in the figures.
        int selfWarm = a.i("self-warmup", 0);
        List<String> warmAcked = new ArrayList<>();
        if (selfWarm > 0) {
            List<Item> wl = new ArrayList<>(selfWarm);
            for (int i = 0; i < selfWarm; i++) wl.add(p.text(phase + "w", i));
            AtomicInteger wi = new AtomicInteger();
            Stats ws = lg.closed(Math.min(concurrency, 32), () -> {
                int i = wi.getAndIncrement();
                return i < wl.size() ? wl.get(i) : null;
            }, Long.MAX_VALUE);
            warmAcked.addAll(ws.acked);
        }
        if (a.mode.equals("traffic")) { // Meta's real traffic: messages, sends through the admin API, their statuses
            Traffic.run(a, lg, p, phase, concurrency);
            lg.close();
            System.exit(0);
        }
        switch (a.mode) {
            case "closed", "bad" -> {
                Supplier<Item> items;
                long deadline;
                if (count > 0) {
                    List<Item> list = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) list.add(p.text(phase, i));
                    AtomicInteger idx = new AtomicInteger();
                    items = () -> {
                        int i = idx.getAndIncrement();
                        return i < list.size() ? list.get(i) : null;
                    };
                    deadline = Long.MAX_VALUE;
                } else {
                    AtomicLong seq = new AtomicLong();
                    items = () -> p.text(phase, seq.getAndIncrement());
                    deadline = System.nanoTime() + (long) (duration * 1e9);
                }
                BadStats bs = null;
                List<Thread> loris = new ArrayList<>();
                LoadGen bad = null;
                CountDownLatch badDone = null;
                if (a.mode.equals("bad")) {
                    bs = new BadStats();
                    int badC = a.i("bad-concurrency", 4);
                    int lorisN = a.i("slowloris", 16);
                    long badDeadline = System.nanoTime() + (long) (duration * 1e9);
                    bad = new LoadGen(url, badC, a.i("timeout-ms", 30000));
                    badDone = new CountDownLatch(badC);
                    badHttp(bad, p, badC, a.i("bad-pause-ms", 20), a.i("oversized-every", 20), badDeadline, bs, badDone);
                    for (int i = 0; i < lorisN; i++) loris.add(slowLoris(url.getHost(), url.getPort(), url.getRawPath(), i, badDeadline, bs));
                    extra += ",\"bad_concurrency\":" + badC + ",\"bad_pause_ms\":" + a.i("bad-pause-ms", 20) + ",\"slowloris\":" + lorisN;
                }
                st = lg.closed(concurrency, items, deadline);
                if (bs != null) {
                    badDone.await(60, TimeUnit.SECONDS);
                    for (Thread t : loris) t.join(5000);
                    extra += "," + bs.json();
                    bad.vertx.close();
                }
            }
            case "rate" -> {
                double r = a.d("rate", 100);
                int n = (int) Math.max(1, r * duration);
                // --acked-in FILE: the message/status mix of mode mix (statuses for the stored wamids), open loop
                List<Item> list = a.m.containsKey("acked-in") ? mix(p, phase, Files.readAllLines(Path.of(a.req("acked-in"))), n)
                        : new ArrayList<>(n);
                for (int i = 0; list.size() < n; i++) list.add(p.text(phase, i));
                // lead-in at the same rate, not counted: connections opened and the schedule's code paths warm
                double leadIn = a.d("lead-in", 3);
                if (leadIn > 0) {
                    List<Item> lead = new ArrayList<>();
                    for (int i = 0; i < (int) (r * leadIn); i++) lead.add(p.text(phase + "l", i));
                    warmAcked.addAll(lg.rate(r, lead).acked);
                }
                st = lg.rate(r, list);
                extra += ",\"target_rate\":" + r + ",\"lead_in_s\":" + leadIn;
            }
            case "mix" -> {
                List<Item> list = mix(p, phase, Files.readAllLines(Path.of(a.req("acked-in"))), count);
                int k = list.size() / 4;
                AtomicInteger idx = new AtomicInteger();
                st = lg.closed(concurrency, () -> {
                    int i = idx.getAndIncrement();
                    return i < list.size() ? list.get(i) : null;
                }, Long.MAX_VALUE);
                extra += ",\"messages\":" + k + ",\"statuses\":" + 3 * k;
            }
            default -> throw new IllegalArgumentException("unknown mode " + a.mode);
        }
        if (a.m.containsKey("acked")) {
            st.acked.addAll(warmAcked);
            Files.write(Path.of(a.m.get("acked")), st.acked, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (a.m.containsKey("acked-times")) { // the measured phase only (no self-warm-up, no lead-in)
            Files.write(Path.of(a.m.get("acked-times")), st.ackedTimes, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (a.m.containsKey("status-acked")) {
            Files.write(Path.of(a.m.get("status-acked")), st.ackedStatuses, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        // CPU of this process while the measured requests ran (not JVM start-up or payload generation)
        extra += String.format(Locale.ROOT, ",\"loadgen_cpu_s\":%.2f,\"loadgen_cpu_total_s\":%.2f",
                (st.cpu1 - st.cpu0) / 1e9, processCpuNs() / 1e9);
        String json = st.json(extra);
        if (a.m.containsKey("out")) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(a.m.get("out"))))) {
                w.println(json);
            }
        }
        System.out.printf(Locale.ROOT, "%s c=%d: %d req, %d ok, %.1f ok/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, codes %s%n",
                phase, concurrency, st.done.sum(), st.ok.sum(), st.ok.sum() / ((st.tEnd - st.t0) / 1e9),
                st.hist.getValueAtPercentile(50) / 1e6, st.hist.getValueAtPercentile(99) / 1e6, st.hist.getMaxValue() / 1e6,
                new TreeMap<>(st.codes));
        lg.close();
        System.exit(0);
    }

    /** About {@code count} items: 1 new text message : 3 statuses (sent, delivered, read) of a stored one, shuffled. */
    static List<Item> mix(Payloads p, String phase, List<String> stored, int count) {
        stored = new ArrayList<>(stored);
        int k = Math.min(stored.size(), Math.max(1, count / 4));
        Collections.shuffle(stored, new Random(42));
        List<Item> list = new ArrayList<>(4 * k);
        long ts = System.currentTimeMillis() / 1000;
        for (int i = 0; i < k; i++) {
            list.add(p.text(phase, i));
            for (int s = 0; s < 3; s++) list.add(p.status(stored.get(i), STATUSES[s], ts + s, i % 1000));
        }
        Collections.shuffle(list, new Random(7));
        return list;
    }

    // Wall clock in epoch microseconds from one (Instant, nanoTime) pair per process: the receiver's arrival times
    // and the load generator's acknowledgement times are compared across two processes on the same machine.
    static final long BASE_NANO = System.nanoTime();
    static final long BASE_EPOCH_US;
    static {
        java.time.Instant now = java.time.Instant.now();
        BASE_EPOCH_US = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    static long epochMicros() {
        return BASE_EPOCH_US + (System.nanoTime() - BASE_NANO) / 1000;
    }

    static long processCpuNs() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    void close() {
        client.close();
        vertx.close();
    }
}
