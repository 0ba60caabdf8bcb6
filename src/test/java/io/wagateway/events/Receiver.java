package io.wagateway.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;

/** A subscriber's HTTP endpoint for tests: records every POST and answers what {@code answer} says. */
final class Receiver implements AutoCloseable {

    /** One POST as received, with the status it was answered. */
    record Received(String id, String timestamp, String signature, String contentType, String body, int answered) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();

    /** {@code answer}: (webhook-id, how many times this id arrived including this one) to the status answered. */
    Receiver(Vertx vertx, BiFunction<String, Integer, Integer> answer) {
        server = vertx.createHttpServer().requestHandler(request -> request.body().subscribe().with(body -> {
            String id = request.getHeader(WebhookSigner.ID);
            int attempt = tries.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
            int status = answer.apply(id, attempt);
            received.add(new Received(id, request.getHeader(WebhookSigner.TIMESTAMP),
                    request.getHeader(WebhookSigner.SIGNATURE), request.getHeader("content-type"), body.toString(),
                    status));
            request.response().setStatusCode(status).endAndForget();
        }, failure -> request.response().setStatusCode(400).endAndForget())).listen(0, "127.0.0.1")
                .await().atMost(Duration.ofSeconds(10));
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hooks/whatsapp";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.close().await().atMost(Duration.ofSeconds(10));
    }
}
