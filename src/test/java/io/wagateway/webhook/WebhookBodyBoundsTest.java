package io.wagateway.webhook;

import static io.wagateway.webhook.WebhookResourceTest.rowsFor;
import static io.wagateway.webhook.WebhookResourceTest.uniquePhone;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.wagateway.support.Metrics;
import io.wagateway.support.Webhooks;

/**
 * Memory before authentication, over raw sockets: bodies that are announced and withheld, grow without a
 * Content-Length or trickle in are bounded by the body budget and the whole-body deadline, and ordinary signed
 * deliveries are still answered meanwhile.
 */
@QuarkusTest
@TestProfile(WebhookBodyBoundsTest.SmallBudget.class)
class WebhookBodyBoundsTest {

    /** 2 MiB in all, of which the last 256 KiB only for bodies of at most 64 KiB; 5 s to send a whole body. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.whatsapp.body-budget", "2M", "gateway.whatsapp.body-budget-reserve", "256K",
                    "gateway.whatsapp.small-body-size", "64K", "gateway.whatsapp.body-timeout", "5s");
        }
    }

    private static final int WITHHELD = 900_000;

    @Inject
    BodyBudget budget;

    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> budget.used() == 0);
    }

    @Test
    void withheldBodiesFillTheBudgetThenLargeOnesAre503AtOnceAndSmallDeliveriesStillStored() throws Exception {
        // two large bodies announced, a few bytes sent, the rest withheld: together they hold the large part
        for (int i = 0; i < 2; i++) {
            Socket socket = open(WITHHELD);
            socket.getOutputStream().write(" ".repeat(100).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> budget.used() == 2L * WITHHELD);

        // the next large one does not fit: 503 at once, without its body being read
        long started = System.nanoTime();
        Socket refused = open(WITHHELD);
        String answer = readAnswer(refused, 3_000);
        assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: ")
                .containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("connection: close");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(budget.used()).isEqualTo(2L * WITHHELD);
        // what an operator sees of it
        assertThat(Metrics.value("whatsapp_webhook_body_budget_used_bytes", "")).isEqualTo(2.0 * WITHHELD);
        assertThat(Metrics.value("whatsapp_webhook_body_budget_limit_bytes", "")).isEqualTo(budget.total());

        // an ordinary signed delivery still fits (the reserve) and is stored
        String from = uniquePhone();
        String wamid = uniqueWamid();
        Webhooks.post(Webhooks.inbound(from, "Small", Webhooks.text(from, wamid, 1768466400, "still here")))
                .then().statusCode(200);
        assertThat(rowsFor(wamid)).isEqualTo(1);

        // the withheld bodies' senders go away: their bytes return to the budget
        for (Socket socket : sockets) {
            socket.close();
        }
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> budget.used() == 0);
    }

    @Test
    void aChunkedBodyIsRefusedTheMomentItOutgrowsTheBudget() throws Exception {
        Socket socket = socket();
        OutputStream out = socket.getOutputStream();
        out.write(("POST /webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        long sent = 0;
        try {
            // 3 MiB, under the 4 MiB body limit but over the 2 MiB budget; never the last chunk
            while (sent < 3L * 1024 * 1024) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sent += chunk.length;
            }
        } catch (IOException e) {
            // refused and closed while we were still writing: read the answer
        }
        assertThat(readAnswer(socket, 3_000)).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: ");
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> budget.used() == 0);
    }

    @Test
    void aTricklingBodyIsAnswered408AndClosedAtTheDeadline() throws Exception {
        long started = System.nanoTime();
        Socket socket = open(1_000);
        OutputStream out = socket.getOutputStream();
        String answer = null;
        // one byte every 200 ms: the idle timeout alone would never fire
        for (int i = 0; i < 100 && answer == null; i++) {
            try {
                out.write(' ');
                out.flush();
            } catch (IOException e) {
                break;
            }
            answer = readAnswerIfAny(socket, 200);
        }
        if (answer == null) {
            answer = readAnswer(socket, 3_000);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(answer).startsWith("HTTP/1.1 408");
        assertThat(took).isBetween(Duration.ofMillis(4_500), Duration.ofSeconds(10));
        socket.setSoTimeout(3_000);
        assertThat(drain(socket.getInputStream())).as("closed by the server").isTrue();
        assertThat(budget.used()).isZero();
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        sockets.add(socket);
        return socket;
    }

    /** Headers of a signed-looking delivery of {@code length} bytes, and none of its body. */
    private Socket open(int length) throws IOException {
        Socket socket = socket();
        socket.getOutputStream().write(("POST /webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nX-Hub-Signature-256: sha256=" + "0".repeat(64)
                + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The status line and headers of the answer, read within {@code timeoutMs}. */
    private static String readAnswer(Socket socket, int timeoutMs) throws IOException {
        String answer = readAnswerIfAny(socket, timeoutMs);
        assertThat(answer).as("an answer within " + timeoutMs + " ms").isNotNull();
        return answer;
    }

    private static String readAnswerIfAny(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String text = head.toString(StandardCharsets.US_ASCII);
                if (text.endsWith("\r\n\r\n")) {
                    return text;
                }
            }
        } catch (SocketTimeoutException e) {
            if (head.size() == 0) {
                return null;
            }
        }
        return head.size() == 0 ? null : head.toString(StandardCharsets.US_ASCII);
    }

    /** True when the server closes the connection (end of stream or reset) before the read times out. */
    private static boolean drain(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the answer's body
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
