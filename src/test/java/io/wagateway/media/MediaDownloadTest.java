package io.wagateway.media;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.ACCESS_TOKEN;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.wagateway.support.Conversations;
import io.wagateway.support.GraphApiMock;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * Inbound media end to end: a signed webhook with a media message, the Graph API and Meta's file URL stood in for by
 * WireMock, the file streamed into the database store, then served by GET /api/v1/messages/{id}/media.
 */
@QuarkusTest
@TestProfile(MediaDownloadTest.QuickRetries.class)
class MediaDownloadTest {

    /** Retries in fractions of a second; small chunks so that a few hundred kilobytes span many of them. */
    public static class QuickRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.media.retry-first-delay", "100ms", "gateway.media.retry-max-delay", "300ms",
                    "gateway.media.poll-interval", "200ms", "gateway.media.lease", "4s",
                    "gateway.media.chunk-bytes", "65536", "gateway.media.orphan-sweep-interval", "1s");
        }
    }

    static final String VERSION = "v25.0";
    static final ObjectMapper JSON = new ObjectMapper();

    WireMock graph;
    String number;

    @BeforeEach
    void setUp() {
        graph = GraphApiMock.resetClient();
        number = Conversations.activeBusinessNumber();
    }

    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static String base64Sha(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
    }

    String fileUrl(String mediaId) {
        return "http://127.0.0.1:" + System.getProperty("wagateway.test.graph-api-port") + "/lookaside/" + mediaId;
    }

    /** Meta's media endpoint for {@code mediaId}: the file's URL, type, hex hash and size (a string, as Meta sends). */
    void metadata(String mediaId, String mime, String sha256Hex, long size) {
        graph.register(get(urlPathEqualTo("/" + VERSION + "/" + mediaId))
                .withQueryParam("phone_number_id", equalTo(number))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"messaging_product":"whatsapp","url":"%s","mime_type":"%s","sha256":"%s","file_size":"%d","id":"%s"}"""
                        .formatted(fileUrl(mediaId), mime, sha256Hex, size, mediaId))));
    }

    void file(String mediaId, String mime, byte[] data) {
        graph.register(get(urlPathEqualTo("/lookaside/" + mediaId))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", mime).withBody(data)));
    }

    /** Posts a signed delivery with one message object of {@code type}; returns the stored message's id. */
    String deliver(String type, String bodyJson) {
        String from = Conversations.newCustomerPhone();
        String wamid = "wamid.media-" + UUID.randomUUID();
        String message = """
                {"from":"%s","id":"%s","timestamp":"%d","type":"%s","%s":%s}"""
                .formatted(from, wamid, Instant.now().getEpochSecond(), type, type, bodyJson);
        byte[] delivery = ("""
                {"object":"whatsapp_business_account","entry":[{"id":"204567891234567","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15557654321","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"Ada"},"wa_id":"%s"}],"messages":[%s]},"field":"messages"}]}]}"""
                .formatted(number, from, message)).getBytes(StandardCharsets.UTF_8);
        Webhooks.post(delivery).then().statusCode(200);
        return String.valueOf(Sql.row("select id from whatsapp_messages where message_id = ?", wamid).get("id"));
    }

    Map<String, Object> job(String messageId) {
        return Sql.row("select * from gateway_media where message_id = ?::uuid", messageId);
    }

    void awaitStatus(String messageId, String status) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(job(messageId).get("status")));
    }

    static Response media(String messageId, String range) {
        var request = given().header("Authorization", admin());
        if (range != null) {
            request.header("Range", range);
        }
        return request.get("/api/v1/messages/" + messageId + "/media");
    }

    JsonNode apiMessage(String messageId) throws Exception {
        String sessionId = String.valueOf(Sql.row("select session_id from whatsapp_messages where id = ?::uuid",
                messageId).get("session_id"));
        String body = given().header("Authorization", admin()).get("/api/v1/sessions/" + sessionId + "/messages")
                .then().statusCode(200).extract().asString();
        for (JsonNode item : JSON.readTree(body).path("items")) {
            if (item.path("id").asText().equals(messageId)) {
                return item;
            }
        }
        throw new AssertionError("no message " + messageId);
    }

    @Test
    void anImageIsStoredByteForByteAndServedWithRanges() throws Exception {
        byte[] image = bytes(300_000, 1);
        String mediaId = "1" + System.nanoTime();
        metadata(mediaId, "image/jpeg", hex(image), image.length);
        file(mediaId, "image/jpeg", image);
        String id = deliver("image", """
                {"caption":"Broken lid","mime_type":"image/jpeg","sha256":"%s","id":"%s"}"""
                .formatted(base64Sha(image), mediaId));
        // The job was recorded with the message, in the webhook's transaction.
        assertThat(job(id)).isNotNull();
        awaitStatus(id, "stored");

        Response whole = media(id, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(hex(whole.asByteArray())).isEqualTo(hex(image));
        assertThat(whole.header("Content-Type")).isEqualTo("image/jpeg");
        assertThat(whole.header("Content-Length")).isEqualTo(String.valueOf(image.length));
        assertThat(whole.header("ETag")).isEqualTo("\"" + hex(image) + "\"");
        assertThat(whole.header("Content-Disposition")).isNull();

        // A range across chunk boundaries, a suffix range, and one past the end.
        Response part = media(id, "bytes=65000-200123");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 65000-200123/" + image.length);
        assertThat(hex(part.asByteArray())).isEqualTo(hex(java.util.Arrays.copyOfRange(image, 65000, 200124)));
        Response tail = media(id, "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(hex(tail.asByteArray()))
                .isEqualTo(hex(java.util.Arrays.copyOfRange(image, image.length - 10, image.length)));
        Response outside = media(id, "bytes=300000-");
        assertThat(outside.statusCode()).isEqualTo(416);
        assertThat(outside.header("Content-Range")).isEqualTo("bytes */" + image.length);

        JsonNode shown = apiMessage(id).path("media");
        assertThat(shown.path("status").asText()).isEqualTo("stored");
        assertThat(shown.path("sha256").asText()).isEqualTo(hex(image));
        assertThat(shown.path("fileSize").asLong()).isEqualTo(image.length);
        assertThat(shown.path("mimeType").asText()).isEqualTo("image/jpeg");

        Map<String, Object> event = Sql.row("select type, data::text as data from gateway_events "
                + "where type like 'whatsapp.media.%' and data ->> 'messageId' = ?", id);
        assertThat(event.get("type")).isEqualTo("whatsapp.media.stored");
        assertThat(JSON.readTree((String) event.get("data")).path("sha256").asText()).isEqualTo(hex(image));
        // One file, its chunks under its hash, no staging left.
        assertThat(Sql.count("select count(*) from gateway_media_chunks where file_key = ?", hex(image)))
                .isEqualTo((image.length + 65535) / 65536);
        assertThat(Sql.count("select count(*) from gateway_media_chunks where file_key like ?", "tmp:" + id + "%"))
                .isZero();
    }

    @Test
    void aDocumentKeepsItsFilenameAndAVoiceNoteItsBytes() throws Exception {
        byte[] pdf = ("%PDF-1.7\n" + "x".repeat(70_000) + "\n%%EOF").getBytes(StandardCharsets.US_ASCII);
        String docId = "2" + System.nanoTime();
        metadata(docId, "application/pdf", hex(pdf), pdf.length);
        file(docId, "application/pdf", pdf);
        String doc = deliver("document", """
                {"caption":"Invoice","filename":"Rechnung März.pdf","mime_type":"application/pdf","sha256":"%s","id":"%s"}"""
                .formatted(base64Sha(pdf), docId));

        byte[] voice = bytes(48_213, 3);
        String voiceId = "3" + System.nanoTime();
        metadata(voiceId, "audio/ogg; codecs=opus", hex(voice), voice.length);
        file(voiceId, "audio/ogg; codecs=opus", voice);
        String note = deliver("audio", """
                {"mime_type":"audio/ogg; codecs=opus","sha256":"%s","id":"%s","voice":true}"""
                .formatted(base64Sha(voice), voiceId));

        awaitStatus(doc, "stored");
        awaitStatus(note, "stored");
        Response document = media(doc, null);
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(hex(document.asByteArray())).isEqualTo(hex(pdf));
        assertThat(document.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"Rechnung M_rz.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf");
        assertThat(apiMessage(doc).path("media").path("filename").asText()).isEqualTo("Rechnung März.pdf");
        Response audio = media(note, null);
        assertThat(hex(audio.asByteArray())).isEqualTo(hex(voice));
        assertThat(audio.header("Content-Type")).startsWith("audio/ogg");
    }

    @Test
    void failuresAndSlowAnswersAreRetriedUntilStored() throws Exception {
        byte[] video = bytes(200_000, 4);
        String mediaId = "4" + System.nanoTime();
        metadata(mediaId, "video/mp4", hex(video), video.length);
        String path = "/lookaside/" + mediaId;
        graph.register(get(urlPathEqualTo(path)).inScenario(mediaId).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("second"));
        graph.register(get(urlPathEqualTo(path)).inScenario(mediaId).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("slow"));
        // Then slowly: the body dribbles in over a second and a half.
        graph.register(get(urlPathEqualTo(path)).inScenario(mediaId).whenScenarioStateIs("slow")
                .willReturn(aResponse().withStatus(200).withBody(video).withChunkedDribbleDelay(20, 1500)));
        String id = deliver("video", """
                {"mime_type":"video/mp4","sha256":"%s","id":"%s"}""".formatted(base64Sha(video), mediaId));

        awaitStatus(id, "stored");
        assertThat(((Number) job(id).get("attempts")).intValue()).isEqualTo(3);
        assertThat(hex(media(id, null).asByteArray())).isEqualTo(hex(video));
        graph.verifyThat(3, getRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void aWrongHashIsRetriedThenFailsForGood() throws Exception {
        byte[] served = bytes(10_000, 5);
        String mediaId = "5" + System.nanoTime();
        metadata(mediaId, "image/png", hex(bytes(10_000, 6)), served.length);
        file(mediaId, "image/png", served);
        String id = deliver("image", """
                {"mime_type":"image/png","sha256":"%s","id":"%s"}""".formatted(base64Sha(served), mediaId));

        awaitStatus(id, "failed");
        Map<String, Object> job = job(id);
        assertThat(((Number) job.get("attempts")).intValue()).isEqualTo(MediaDownloader.FINAL_AFTER_ATTEMPTS);
        assertThat((String) job.get("error")).contains("SHA-256");
        Response gone = media(id, null);
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.contentType()).isEqualTo("application/problem+json");
        assertThat(apiMessage(id).path("media").path("status").asText()).isEqualTo("failed");
        assertThat(Sql.count("select count(*) from gateway_events where type = 'whatsapp.media.failed' "
                + "and data ->> 'messageId' = ?", id)).isEqualTo(1);
        assertThat(Sql.count("select count(*) from gateway_media_chunks where file_key like ?", "tmp:" + id + "%"))
                .isZero();
    }

    @Test
    void aFileUrlAnswering404IsRetriedThenFailsAndAnUnknownMediaIdFailsAtOnce() throws Exception {
        byte[] sticker = bytes(20_000, 7);
        String lost = "6" + System.nanoTime();
        metadata(lost, "image/webp", hex(sticker), sticker.length);
        graph.register(get(urlPathEqualTo("/lookaside/" + lost)).willReturn(aResponse().withStatus(404)));
        String first = deliver("sticker", """
                {"mime_type":"image/webp","sha256":"%s","id":"%s","animated":false}"""
                .formatted(base64Sha(sticker), lost));

        String unknown = "7" + System.nanoTime();
        graph.register(get(urlPathEqualTo("/" + VERSION + "/" + unknown)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(
                        """
                                {"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"A1"}}""")));
        String second = deliver("image", """
                {"mime_type":"image/jpeg","sha256":"%s","id":"%s"}""".formatted(base64Sha(sticker), unknown));

        awaitStatus(first, "failed");
        awaitStatus(second, "failed");
        assertThat(((Number) job(first).get("attempts")).intValue()).isEqualTo(MediaDownloader.FINAL_AFTER_ATTEMPTS);
        graph.verifyThat(MediaDownloader.FINAL_AFTER_ATTEMPTS, getRequestedFor(urlPathEqualTo("/lookaside/" + lost)));
        assertThat((String) job(first).get("error")).contains("HTTP 404");
        assertThat(((Number) job(second).get("attempts")).intValue()).isEqualTo(1);
        assertThat((String) job(second).get("error")).contains("does not know the media id");
    }

    @Test
    void aFileOverTheTypesLimitFailsWithoutDownloading() throws Exception {
        String mediaId = "8" + System.nanoTime();
        metadata(mediaId, "image/webp", "00".repeat(32), 600_000);
        String id = deliver("sticker", """
                {"mime_type":"image/webp","sha256":"%s","id":"%s","animated":true}"""
                .formatted(base64Sha(new byte[1]), mediaId));
        awaitStatus(id, "failed");
        assertThat((String) job(id).get("error")).contains("larger than the limit");
        graph.verifyThat(0, getRequestedFor(urlPathEqualTo("/lookaside/" + mediaId)));
    }

    @Test
    void aDownloadLeftByAStoppedReplicaIsTakenOverAndTheFileStoredOnce() throws Exception {
        byte[] image = bytes(150_000, 8);
        String mediaId = "9" + System.nanoTime();
        metadata(mediaId, "image/jpeg", hex(image), image.length);
        file(mediaId, "image/jpeg", image);
        // The first message's file is stored normally.
        String first = deliver("image", """
                {"mime_type":"image/jpeg","sha256":"%s","id":"%s"}""".formatted(base64Sha(image), mediaId));
        awaitStatus(first, "stored");

        // A second message with the same file, whose job a replica claimed and then died mid-download: its lease
        // runs for another second and a half, and it left two chunks under its staging key.
        String sessionId = String.valueOf(Sql.row("select session_id from whatsapp_messages where id = ?::uuid",
                first).get("session_id"));
        String second = UUID.randomUUID().toString();
        Sql.update("""
                insert into whatsapp_messages (id, session_id, message_id, direction, content, message_type, metadata,
                                               phone_number_id)
                values (?::uuid, ?::uuid, ?, 'INBOUND', '[image]', 'image', '{}'::jsonb, ?)""", second, sessionId,
                "wamid.dead-" + UUID.randomUUID(), number);
        String deadLease = UUID.randomUUID().toString();
        Sql.update("""
                insert into gateway_media (message_id, media_id, phone_number_id, media_type, mime_type, attempts,
                                           due_at, lease_token, lease_until)
                values (?::uuid, ?, ?, 'image', 'image/jpeg', 1, now() + interval '1500 milliseconds', ?::uuid,
                        now() + interval '1500 milliseconds')""", second, mediaId, number, deadLease);
        String staging = "tmp:" + second + ":" + deadLease;
        Sql.update("insert into gateway_media_chunks (file_key, seq, data) values (?, 0, ?), (?, 1, ?)", staging,
                new byte[65536], staging, new byte[65536]);
        assertThat(job(second).get("status")).isEqualTo("pending");

        awaitStatus(second, "stored");
        assertThat(((Number) job(second).get("attempts")).intValue()).isEqualTo(2);
        assertThat(hex(media(second, null).asByteArray())).isEqualTo(hex(image));
        assertThat(Sql.count("select count(*) from gateway_media_files where sha256 = ?", hex(image))).isEqualTo(1);
        assertThat(Sql.count("select count(*) from gateway_media_chunks where file_key = ?", hex(image)))
                .isEqualTo((image.length + 65535) / 65536);
        assertThat(Sql.count("select count(*) from gateway_media_chunks where file_key like ?", "tmp:" + second + "%"))
                .isZero();
    }

    @Test
    void pendingIs409AndATextMessageHasNoMedia() throws Exception {
        String mediaId = "10" + System.nanoTime();
        // Meta's media endpoint never answers in time: the job stays pending.
        graph.register(get(urlPathEqualTo("/" + VERSION + "/" + mediaId))
                .willReturn(aResponse().withStatus(200).withFixedDelay(30_000)));
        String id = deliver("image", """
                {"mime_type":"image/jpeg","sha256":"%s","id":"%s"}""".formatted(base64Sha(new byte[2]), mediaId));
        Response pending = media(id, null);
        assertThat(pending.statusCode()).isEqualTo(409);
        assertThat(pending.contentType()).isEqualTo("application/problem+json");
        assertThat(apiMessage(id).path("media").path("status").asText()).isEqualTo("pending");

        String text = deliver("text", "{\"body\":\"hello\"}");
        assertThat(media(text, null).statusCode()).isEqualTo(404);
        assertThat(apiMessage(text).has("media")).isFalse();
        assertThat(media(UUID.randomUUID().toString(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void anUploadGoesToMetaIsStoredAndShowsOnTheMessageThatSendsIt() throws Exception {
        // Larger than the webhook's body limit (4 MB): the upload route has its own.
        byte[] pdf = bytes(5_000_000, 9);
        String mediaId = "11" + System.nanoTime();
        graph.register(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/" + VERSION + "/" + number
                + "/media")).withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("multipart/form-data"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + mediaId + "\"}")));
        Response uploaded = given().config(io.restassured.RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("Authorization", admin()).contentType("application/pdf").body(pdf)
                .queryParam("phoneNumberId", number).queryParam("filename", "Angebot.pdf").post("/api/v1/media");
        assertThat(uploaded.statusCode()).as(uploaded.asString()).isEqualTo(201);
        assertThat(uploaded.jsonPath().getString("id")).isEqualTo(mediaId);
        assertThat(uploaded.jsonPath().getString("sha256")).isEqualTo(hex(pdf));
        // audited like every admin write (this route runs ahead of the REST layer's audit filter): who, the media id,
        // the status and the names of the fields given, never the key or their values
        assertThat(Sql.row("""
                select actor, key_fingerprint is not null as fingerprinted, status, details::text as details
                from gateway_audit_log where action = 'media.upload' and resource_id = ?""", mediaId))
                .containsEntry("actor", "admin-key-1").containsEntry("fingerprinted", true).containsEntry("status", 201)
                .containsEntry("details", "{\"fields\": [\"filename\", \"phoneNumberId\"]}");
        // Meta received the file itself, in a multipart body with messaging_product and type.
        var received = graph.find(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathEqualTo("/" + VERSION + "/" + number + "/media")));
        assertThat(received).hasSize(1);
        byte[] multipart = received.get(0).getBody();
        String text = new String(multipart, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("name=\"messaging_product\"\r\n\r\nwhatsapp").contains("name=\"type\"\r\n\r\napplication/pdf")
                .contains("filename=\"Angebot.pdf\"");
        int start = text.indexOf("Content-Type: application/pdf\r\n\r\n") + "Content-Type: application/pdf\r\n\r\n".length();
        assertThat(text.lastIndexOf("\r\n--wagateway-") - start).as("the file part's size").isEqualTo(pdf.length);
        assertThat(hex(java.util.Arrays.copyOfRange(multipart, start, start + pdf.length))).isEqualTo(hex(pdf));

        // Sending it by id: the outbound message shows the same file, served from the store.
        String customer = Conversations.newCustomerPhone();
        Conversations.session(customer, number, Instant.now());
        String wamid = "wamid.out-" + UUID.randomUUID();
        graph.register(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/" + VERSION + "/" + number
                + "/messages")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(
                                """
                                        {"messaging_product":"whatsapp","contacts":[{"input":"+%s","wa_id":"%s"}],"messages":[{"id":"%s"}]}"""
                                        .formatted(customer, customer, wamid))));
        Response sent = given().header("Authorization", admin()).contentType("application/json").body("""
                {"to":"+%s","phoneNumberId":"%s","type":"document","document":{"id":"%s","filename":"Angebot.pdf"}}"""
                .formatted(customer, number, mediaId)).post("/api/v1/messages");
        assertThat(sent.statusCode()).as(sent.asString()).isEqualTo(201);
        assertThat(sent.jsonPath().getString("media.status")).isEqualTo("stored");
        assertThat(sent.jsonPath().getString("media.sha256")).isEqualTo(hex(pdf));
        assertThat(sent.jsonPath().getString("media.filename")).isEqualTo("Angebot.pdf");
        Response file = media(sent.jsonPath().getString("id"), null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(hex(file.asByteArray())).isEqualTo(hex(pdf));
        assertThat(Sql.count("select count(*) from gateway_media_files where sha256 = ?", hex(pdf))).isEqualTo(1);
    }

    @Test
    void uploadsAreRefusedUnreadWithoutAKeyOrOverTheLimit() {
        byte[] image = new byte[100];
        assertThat(given().contentType("image/jpeg").body(image).queryParam("phoneNumberId", number)
                .post("/api/v1/media").statusCode()).isEqualTo(401);
        assertThat(given().header("Authorization", "Bearer not-a-key-not-a-key-not-a-key-0000").contentType("image/jpeg")
                .body(image).post("/api/v1/media").statusCode()).isEqualTo(401);
        // An image over Meta's 5 MB, and a document over the upload limit: refused on the Content-Length alone,
        // before a byte of the body is sent.
        assertThat(headersOnly("image/jpeg", 5_300_000, admin())).startsWith("HTTP/1.1 413");
        assertThat(headersOnly("application/pdf", 104_857_601L, admin())).startsWith("HTTP/1.1 413");
        assertThat(headersOnly("application/pdf", 1000, null)).startsWith("HTTP/1.1 401");
        assertThat(Sql.count("select count(*) from gateway_media_uploads where phone_number_id = ?", number)).isZero();
    }

    @Test
    void aMultipartUploadIsStoredAndAudited() throws Exception {
        byte[] png = bytes(200_000, 11);
        String mediaId = "13" + System.nanoTime();
        graph.register(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/" + VERSION + "/" + number
                + "/media")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + mediaId + "\"}")));
        Response uploaded = given().header("Authorization", admin()).multiPart("file", "scan.png", png, "image/png")
                .multiPart("phoneNumberId", number).post("/api/v1/media");
        assertThat(uploaded.statusCode()).as(uploaded.asString()).isEqualTo(201);
        assertThat(uploaded.jsonPath().getString("id")).isEqualTo(mediaId);
        assertThat(uploaded.jsonPath().getString("sha256")).isEqualTo(hex(png));
        assertThat(uploaded.jsonPath().getString("filename")).isEqualTo("scan.png");
        assertThat(Sql.row("select mime_type, file_size from gateway_media_uploads where media_id = ?", mediaId))
                .containsEntry("mime_type", "image/png").containsEntry("file_size", 200_000L);
        await().atMost(Duration.ofSeconds(5)).until(() -> Sql.count(
                "select count(*) from gateway_audit_log where action = 'media.upload'") > 0);
        assertThat(given().multiPart("file", "scan.png", png, "image/png").post("/api/v1/media").statusCode())
                .isEqualTo(401);
    }

    /** Sends only the request head of an upload declaring {@code length} bytes; the status line answered. */
    static String headersOnly(String contentType, long length, String authorization) {
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/media HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + contentType + "\r\nContent-Length: " + length + "\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void erasingTheCustomerTakesTheJobAndTheSweepTheFileNoOneElseReferences() throws Exception {
        byte[] image = bytes(90_000, 10);
        String mediaId = "12" + System.nanoTime();
        metadata(mediaId, "image/jpeg", hex(image), image.length);
        file(mediaId, "image/jpeg", image);
        String id = deliver("image", """
                {"mime_type":"image/jpeg","sha256":"%s","id":"%s"}""".formatted(base64Sha(image), mediaId));
        awaitStatus(id, "stored");
        String customer = String.valueOf(Sql.row("""
                select p.id from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id
                join customer_profiles p on p.id = s.customer_profile_id where m.id = ?::uuid""", id).get("id"));

        given().header("Authorization", admin()).delete("/api/v1/customers/" + customer).then().statusCode(204);
        assertThat(Sql.count("select count(*) from gateway_media where message_id = ?::uuid", id)).isZero();
        // The sweep takes files past their grace period that nothing references: age this one.
        Sql.update("update gateway_media_files set created_at = now() - interval '2 hours' where sha256 = ?", hex(image));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> Sql.count(
                "select count(*) from gateway_media_files where sha256 = ?", hex(image)) == 0);
        assertThat(Sql.count("select count(*) from gateway_media_chunks where file_key = ?", hex(image))).isZero();
    }
}
