package io.wagateway.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.restassured.response.Response;
import io.wagateway.webhook.SignatureVerifier;

/** Signed webhook deliveries for tests: Meta's fixtures byte for byte, or bodies built here. */
public final class Webhooks {

    public static final String PHONE_NUMBER_ID = "118234567890123";

    private Webhooks() {
    }

    /** A fixture from src/test/resources/fixtures/webhooks (copied byte-identical from shared/fixtures). */
    public static byte[] fixture(String name) {
        try (InputStream in = Webhooks.class.getResourceAsStream("/fixtures/webhooks/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sign(byte[] body) {
        return SignatureVerifier.sign(PostgresTestResource.APP_SECRET, body);
    }

    public static Response post(byte[] body) {
        return post(body, sign(body));
    }

    public static Response post(byte[] body, String signature) {
        var request = given().contentType("application/json").body(body);
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.post("/webhooks/whatsapp");
    }

    /**
     * Posts a body of {@code size} bytes over a raw socket and returns the status code: the server answers
     * 413 as soon as it sees the Content-Length, and closes while a client library would still be writing.
     */
    public static int postOversized(int size) {
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                for (int sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, size - sent));
                }
                out.flush();
            } catch (IOException e) {
                // the server refused the rest of the body: read its answer
            }
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A delivery with one inbound message of any type: {@code messageJson} is the object in messages[]. */
    public static byte[] inbound(String from, String name, String messageJson) {
        return ("""
                {"object":"whatsapp_business_account","entry":[{"id":"204567891234567","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15557654321","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"%s"},"wa_id":"%s"}],"messages":[%s]},"field":"messages"}]}]}"""
                .formatted(PHONE_NUMBER_ID, name, from, messageJson)).getBytes(StandardCharsets.UTF_8);
    }

    /** A text message object for {@link #inbound}. */
    public static String text(String from, String wamid, long timestamp, String body) {
        return """
                {"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}"""
                .formatted(from, wamid, timestamp, body);
    }

    /** A delivery with statuses; each status JSON is an object of statuses[]. */
    public static byte[] statuses(String... statusJson) {
        return ("""
                {"object":"whatsapp_business_account","entry":[{"id":"204567891234567","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15557654321","phone_number_id":"%s"},
                "statuses":[%s]},"field":"messages"}]}]}"""
                .formatted(PHONE_NUMBER_ID, String.join(",", statusJson))).getBytes(StandardCharsets.UTF_8);
    }

    public static String status(String wamid, String status, long timestamp) {
        return """
                {"id":"%s","status":"%s","timestamp":"%d","recipient_id":"447700900123"}"""
                .formatted(wamid, status, timestamp);
    }
}
