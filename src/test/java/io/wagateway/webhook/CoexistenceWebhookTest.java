package io.wagateway.webhook;

import static io.restassured.RestAssured.given;
import static io.wagateway.webhook.BsuidWebhookTest.envelope;
import static io.wagateway.webhook.BsuidWebhookTest.now;
import static io.wagateway.webhook.WebhookResourceTest.uniqueSenderPrefix;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagateway.support.PostgresTestResource;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * Coexistence (the WhatsApp Business app on the same number) with Meta's payload shapes: smb_message_echoes as
 * OUTBOUND messages from the business app (echoed edits and revokes included), history chunks kept before the answer
 * and imported after it (out of order, thousands at once, after a replica died), the decline recorded, and the
 * user_changed_number system message.
 */
@QuarkusTest
class CoexistenceWebhookTest {

    static String echo(String to, String toUserId, String wamid, long ts, String body) {
        return """
                {"from":"15557654321","to":"%s",%s"id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}"""
                .formatted(to == null ? "" : to, toUserId == null ? "" : "\"to_user_id\":\"" + toUserId + "\",", wamid,
                        ts, body);
    }

    static byte[] echoes(String... echoes) {
        return envelope("smb_message_echoes", "\"message_echoes\":[" + String.join(",", echoes) + "]");
    }

    static String historyMessage(String from, String to, String wamid, long ts, String body, String status) {
        return """
                {"from":"%s",%s"id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"},
                 "history_context":{"status":"%s"}}""".formatted(from, to == null ? "" : "\"to\":\"" + to + "\",",
                wamid, ts, body, status);
    }

    static String chunk(int phase, int order, int progress, String threads) {
        return """
                {"metadata":{"phase":%d,"chunk_order":%d,"progress":%d},"threads":[%s]}"""
                .formatted(phase, order, progress, threads);
    }

    static String thread(String customer, List<String> messages) {
        return "{\"id\":\"" + customer + "\",\"messages\":[" + String.join(",", messages) + "]}";
    }

    static byte[] history(String phoneNumberId, String... chunks) {
        return ("""
                {"object":"whatsapp_business_account","entry":[{"id":"204567891234567","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15557654321","phone_number_id":"%s"},
                "history":[%s]},"field":"history"}]}]}""".formatted(phoneNumberId, String.join(",", chunks)))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static Map<String, Object> message(String wamid) {
        return Sql.row("select m.direction::text as direction, m.content, m.status, m.metadata->>'source' as source, "
                + "m.wa_timestamp, m.created_at, m.revoked_at, m.edited_at, m.metadata::text as metadata, "
                + "s.phone_number, s.last_inbound_at from whatsapp_messages m "
                + "join whatsapp_sessions s on s.id = m.session_id where m.message_id = ?", wamid);
    }

    static long count(String wamid) {
        return Sql.count("select count(*) from whatsapp_messages where message_id = ?", wamid);
    }

    static long events(String type, String wamid) {
        return Sql.count("select count(*) from gateway_events where type = ? and data->>'messageId' = ?", type, wamid);
    }

    static String newPhoneNumberId() {
        return String.valueOf(100_000_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999_999L));
    }

    static String admin() {
        return "Bearer " + PostgresTestResource.ADMIN_KEY;
    }

    /** A settings row for a number of its own (no app secret of its own: the test secret signs for it). */
    static String settings(String phoneNumberId) {
        return given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("apiKey", "shop-api-key-plaintext-1", "phoneNumberId", phoneNumberId, "businessId",
                        "204567891234567", "accessToken", "EAAGm0PX4ZCpsBAKZCz7secret-access-token-x9Qz",
                        "webhookToken", "verify-token-plaintext"))
                .post("/api/v1/settings").then().statusCode(201).extract().path("id");
    }

    @Test
    void metasEchoExampleIsAnOutboundMessageFromTheBusinessApp() {
        String wamid = "wamid.HBgLMTY1MDU1NTkwMzEVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA";
        byte[] fixture = Webhooks.fixture("31-smb-message-echo-text.json");
        Webhooks.post(fixture).then().statusCode(200).body("stored", org.hamcrest.Matchers.equalTo(1));
        Webhooks.post(fixture).then().statusCode(200).body("stored", org.hamcrest.Matchers.equalTo(0));

        Map<String, Object> row = message(wamid);
        assertThat(row.get("direction")).isEqualTo("OUTBOUND");
        assertThat(row.get("source")).isEqualTo("business_app");
        assertThat(row.get("phone_number")).isEqualTo("16505559031");
        assertThat(row.get("content")).isEqualTo("Your order ships today - sent from the Business app");
        assertThat(row.get("last_inbound_at")).as("an echo opens no window").isNull();
        assertThat(count(wamid)).isEqualTo(1);
        assertThat(events("whatsapp.message.sent", wamid)).isEqualTo(1);

        // the admin API shows where it was sent from
        String session = Sql.row("select session_id::text as id from whatsapp_messages where message_id = ?", wamid)
                .get("id").toString();
        given().header("Authorization", admin()).get("/api/v1/sessions/" + session + "/messages").then()
                .statusCode(200).body("items[0].metadata.source", org.hamcrest.Matchers.equalTo("business_app"));
    }

    @Test
    void statusesOfAnEchoApplyBeforeAndAfterIt() {
        String phone = uniqueSenderPrefix() + "1";
        String early = uniqueWamid();
        String late = uniqueWamid();
        Webhooks.post(Webhooks.statuses(Webhooks.status(early, "delivered", now()))).then().statusCode(200);
        Webhooks.post(echoes(echo(phone, null, early, now() - 5, "first"), echo(phone, null, late, now() - 4,
                "second"))).then().statusCode(200);
        Webhooks.post(Webhooks.statuses(Webhooks.status(late, "read", now()))).then().statusCode(200);

        assertThat(message(early).get("status")).isEqualTo("delivered");
        assertThat(message(late).get("status")).isEqualTo("read");
    }

    @Test
    void concurrentCopiesOfAnEchoStoreItOnce() {
        String phone = uniqueSenderPrefix() + "2";
        String wamid = uniqueWamid();
        byte[] body = echoes(echo(phone, null, wamid, now(), "once"));
        List<CompletableFuture<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> Webhooks.post(body).statusCode()));
        }
        posts.forEach(post -> assertThat(post.join()).isEqualTo(200));
        assertThat(count(wamid)).isEqualTo(1);
        assertThat(events("whatsapp.message.sent", wamid)).isEqualTo(1);
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", phone)).isEqualTo(1);
        assertThat(Sql.count("select count(*) from gateway_events where type = 'whatsapp.customer.updated' "
                + "and data->>'waId' = ?", phone)).as("the new customer announced once").isEqualTo(1);
    }

    @Test
    void anEchoToAWithheldPhoneLandsInTheBsuidCustomersSession() {
        String phone = uniqueSenderPrefix() + "3";
        String bsuid = "US." + ThreadLocalRandom.current().nextLong(1_000_000_000_000L, 9_000_000_000_000L);
        String inbound = uniqueWamid();
        Webhooks.post(BsuidWebhookTest.message(phone, bsuid, "ada", inbound, now() - 60)).then().statusCode(200);
        String wamid = uniqueWamid();
        Webhooks.post(echoes(echo(null, bsuid, wamid, now(), "hello from the app"))).then().statusCode(200);

        assertThat(message(wamid).get("phone_number")).isEqualTo(phone);
        assertThat(message(wamid).get("direction")).isEqualTo("OUTBOUND");
        assertThat(Sql.count("select count(*) from customer_profiles where user_id = ? or wa_id in (?, ?)", bsuid,
                phone, bsuid)).as("one customer").isEqualTo(1);
    }

    @Test
    void echoedEditsAndRevokesApplyToTheOriginal() {
        String phone = uniqueSenderPrefix() + "4";
        String original = uniqueWamid();
        Webhooks.post(echoes(echo(phone, null, original, now() - 60, "price is 10"))).then().statusCode(200);
        String edit = """
                {"from":"15557654321","to":"%s","id":"%s","timestamp":"%d","type":"edit",
                 "edit":{"original_message_id":"%s","message":{"type":"text","text":{"body":"price is 12"}}}}"""
                .formatted(phone, uniqueWamid(), now() - 30, original);
        byte[] edited = echoes(edit);
        Webhooks.post(edited).then().statusCode(200);
        Webhooks.post(edited).then().statusCode(200);
        assertThat(message(original).get("content")).isEqualTo("price is 12");
        assertThat(message(original).get("edited_at")).isNotNull();
        assertThat(events("whatsapp.message.edited", original)).isEqualTo(1);

        String revoke = """
                {"from":"15557654321","to":"%s","id":"%s","timestamp":"%d","type":"revoke",
                 "revoke":{"original_message_id":"%s"}}""".formatted(phone, uniqueWamid(), now(), original);
        Webhooks.post(echoes(revoke)).then().statusCode(200);
        Map<String, Object> row = message(original);
        assertThat(row.get("revoked_at")).isNotNull();
        assertThat(row.get("content")).isEqualTo("[message deleted]");
        assertThat((String) row.get("metadata")).as("the revoke clears the earlier versions")
                .doesNotContain("price is 10").doesNotContain("price is 12");
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", phone)).isEqualTo(1);
    }

    @Test
    void anEchoedEditBeforeItsOriginalIsAppliedOnceTheOriginalIsStored() {
        String phone = uniqueSenderPrefix() + "6";
        String original = uniqueWamid();
        String edit = """
                {"from":"15557654321","to":"%s","id":"%s","timestamp":"%d","type":"edit",
                 "edit":{"original_message_id":"%s","message":{"type":"text","text":{"body":"fixed typo"}}}}"""
                .formatted(phone, uniqueWamid(), now(), original);
        Webhooks.post(echoes(edit)).then().statusCode(200);
        Webhooks.post(echoes(echo(phone, null, original, now() - 10, "fixd typo"))).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "fixed typo".equals(message(original).get("content")));
        assertThat(events("whatsapp.message.edited", original)).isEqualTo(1);
    }

    @Test
    void mediaOfEchoesAndOfImportedHistoryGetTheirDownloadJobs() {
        String phone = uniqueSenderPrefix() + "7";
        String photo = uniqueWamid();
        Webhooks.post(echoes("""
                {"from":"15557654321","to":"%s","id":"%s","timestamp":"%d","type":"image","image":{
                "mime_type":"image/jpeg","sha256":"mbSoAA6TUkzRuaVf0BhSvaEXIVfZfKoEIWbQTdLzVXk=","id":"1479537139650973"}}"""
                .formatted(phone, photo, now()))).then().statusCode(200).body("stored", org.hamcrest.Matchers.equalTo(1));
        String number = newPhoneNumberId();
        String customer = uniqueSenderPrefix() + "8";
        String invoice = uniqueWamid();
        Webhooks.post(history(number, chunk(0, 1, 100, thread(customer, List.of("""
                {"from":"%s","id":"%s","timestamp":"%d","type":"document","document":{"filename":"invoice-2291.pdf",
                 "mime_type":"application/pdf","sha256":"Nqg8ZzJ0tGOP5Z6Yf3c0bU1bPZ8fJjF0k5d8Oq1xk0Y=","id":"2471183486561243"},
                 "history_context":{"status":"READ"}}""".formatted(customer, invoice, now() - 86_400)))))).then()
                .statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> Sql.count("select count(*) from whatsapp_messages where message_id = ?", invoice) == 1);

        assertThat(Sql.row("""
                select g.media_id, g.media_type, g.mime_type from gateway_media g join whatsapp_messages m
                on m.id = g.message_id where m.message_id = ?""", photo)).containsEntry("media_id", "1479537139650973")
                .containsEntry("media_type", "image").containsEntry("mime_type", "image/jpeg");
        assertThat(Sql.row("""
                select g.media_id, g.filename from gateway_media g join whatsapp_messages m on m.id = g.message_id
                where m.message_id = ?""", invoice)).containsEntry("media_id", "2471183486561243")
                .containsEntry("filename", "invoice-2291.pdf");
        // a redelivery records no second job
        Webhooks.post(echoes("""
                {"from":"15557654321","to":"%s","id":"%s","timestamp":"%d","type":"image","image":{
                "mime_type":"image/jpeg","sha256":"mbSoAA6TUkzRuaVf0BhSvaEXIVfZfKoEIWbQTdLzVXk=","id":"1479537139650973"}}"""
                .formatted(phone, photo, now()))).then().statusCode(200).body("stored", org.hamcrest.Matchers.equalTo(0));
        assertThat(Sql.count("select count(*) from gateway_media g join whatsapp_messages m on m.id = g.message_id "
                + "where m.message_id = ?", photo)).isEqualTo(1);
    }

    @Test
    void concurrentCopiesOfAHistoryDeliveryKeepAndImportItOnce() {
        String number = newPhoneNumberId();
        String customer = uniqueSenderPrefix() + "4";
        List<String> messages = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String wamid = uniqueWamid();
            wamids.add(wamid);
            messages.add(historyMessage(i % 3 == 0 ? "15557654321" : customer, i % 3 == 0 ? customer : null, wamid,
                    now() - 3 * 86_400 + i, "m" + i, "DELIVERED"));
        }
        byte[] body = history(number, chunk(0, 1, 100, thread(customer, messages)));
        List<CompletableFuture<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> Webhooks.post(body).statusCode()));
        }
        posts.forEach(post -> assertThat(post.join()).isEqualTo(200));
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ?", number))
                .isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Sql.count(
                "select count(*) from whatsapp_history_chunks where phone_number_id = ? and imported_at is not null",
                number) == 1);
        assertThat(Sql.count("select count(*) from whatsapp_messages where phone_number_id = ?", number)).isEqualTo(40);
        assertThat(Sql.count("select stored_count from whatsapp_history_chunks where phone_number_id = ?", number))
                .isEqualTo(40);
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", customer)).isEqualTo(1);
    }

    @Test
    void anInboundRevokeClearsTheEarlierEditVersions() {
        String phone = uniqueSenderPrefix() + "5";
        String original = uniqueWamid();
        Webhooks.post(EditRevokeWebhookTest.text(phone, original, now() - 90, "my pin is alpha-secret")).then().statusCode(200);
        Webhooks.post(EditRevokeWebhookTest.edit(phone, uniqueWamid(), original, now() - 60, "my pin is beta-secret"))
                .then().statusCode(200);
        Webhooks.post(EditRevokeWebhookTest.revoke(phone, uniqueWamid(), original, now())).then().statusCode(200);
        Map<String, Object> row = message(original);
        assertThat((String) row.get("metadata")).doesNotContain("alpha-secret").doesNotContain("beta-secret");
        assertThat(row.get("content")).isEqualTo("[message deleted]");
    }

    @Test
    void metasHistoryExampleIsImportedWithDirectionsAndOriginalTimes() {
        byte[] fixture = Webhooks.fixture("32-history-chunk.json");
        Webhooks.post(fixture).then().statusCode(200);
        Webhooks.post(fixture).then().statusCode(200);
        String in = "wamid.HBgLMTY1MDU1NTkwMzIVAgASGBQzQUZBMTU2QkE3MEE3NkI2QjM0QwA=";
        String out = "wamid.HBgLMTY1MDU1NTkwMzIVAgARGBI2QTY0RjM3QTQ3NzVEOUU0QjYA";
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(in) == 1 && count(out) == 1);

        Map<String, Object> inbound = message(in);
        assertThat(inbound.get("direction")).isEqualTo("INBOUND");
        assertThat(inbound.get("source")).isEqualTo("history");
        assertThat(inbound.get("phone_number")).isEqualTo("16505559032");
        assertThat(inbound.get("wa_timestamp").toString()).startsWith("2025-12-02");
        Map<String, Object> outbound = message(out);
        assertThat(outbound.get("direction")).isEqualTo("OUTBOUND");
        assertThat(outbound.get("status")).isEqualTo("delivered");
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ? and payload @> "
                + "'{\"metadata\":{\"phase\":0,\"chunk_order\":1}}'", Webhooks.PHONE_NUMBER_ID))
                .as("a redelivered chunk is kept once")
                .isEqualTo(1);
        assertThat(events("whatsapp.message.received", in)).as("imported messages emit no message events").isZero();
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = '16505559032' "
                + "and last_inbound_at = to_timestamp(1764684000)"))
                .as("the window follows the customer's real last inbound message").isEqualTo(1);
    }

    @Test
    void chunksInAnyOrderLandInTheRightSessionsAndShowTheirProgress() {
        String number = newPhoneNumberId();
        String id = settings(number);
        String a = uniqueSenderPrefix() + "6";
        String b = uniqueSenderPrefix() + "7";
        long old = now() - 40 * 86_400;
        String a1 = uniqueWamid(), a2 = uniqueWamid(), b1 = uniqueWamid(), b2 = uniqueWamid();
        String second = chunk(1, 2, 100, thread(b, List.of(historyMessage(b, null, b1, old + 10, "b asks", "READ"),
                historyMessage("15557654321", b, b2, old + 20, "b answered", "READ"))));
        String first = chunk(1, 1, 50, thread(a, List.of(historyMessage(a, null, a1, old, "a asks", "READ"),
                historyMessage("15557654321", a, a2, old + 5, "a answered", "PLAYED"))));
        // the later chunk first, then the earlier one redelivered with it
        Webhooks.post(history(number, second)).then().statusCode(200);
        Webhooks.post(history(number, first, second)).then().statusCode(200);

        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> count(a1) + count(a2) + count(b1) + count(b2) == 4);
        assertThat(message(a1).get("phone_number")).isEqualTo(a);
        assertThat(message(b2).get("phone_number")).isEqualTo(b);
        assertThat(message(b2).get("direction")).isEqualTo("OUTBOUND");
        assertThat(message(a1).get("direction")).isEqualTo("INBOUND");
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ?", number))
                .isEqualTo(2);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Response got = given().header("Authorization", admin()).get("/api/v1/settings/" + id);
            got.then().statusCode(200);
            assertThat(got.jsonPath().getInt("history.phases[0].phase")).isEqualTo(1);
            assertThat(got.jsonPath().getInt("history.phases[0].chunks")).isEqualTo(2);
            assertThat(got.jsonPath().getInt("history.phases[0].chunksImported")).isEqualTo(2);
            assertThat(got.jsonPath().getInt("history.phases[0].lastChunkOrder")).isEqualTo(2);
            assertThat(got.jsonPath().getInt("history.phases[0].progress")).isEqualTo(100);
            assertThat(got.jsonPath().getInt("history.phases[0].messagesImported")).isEqualTo(4);
        });
        // a 40-day-old inbound message does not open the window
        given().header("Authorization", admin()).queryParam("phoneNumber", a).get("/api/v1/sessions").then()
                .statusCode(200).body("items[0].windowOpen", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void aHistoryThreadOfAWithheldPhoneLandsInTheBsuidCustomersSession() {
        String phone = uniqueSenderPrefix() + "3";
        String bsuid = "US." + ThreadLocalRandom.current().nextLong(1_000_000_000_000L, 9_000_000_000_000L);
        Webhooks.post(BsuidWebhookTest.message(phone, bsuid, "ada", uniqueWamid(), now() - 60)).then().statusCode(200);
        String in = uniqueWamid();
        String out = uniqueWamid();
        String inbound = """
                {"from":"","from_user_id":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"older q"}}"""
                .formatted(bsuid, in, now() - 5 * 86_400);
        String outbound = """
                {"from":"15557654321","to":"","to_user_id":"%s","id":"%s","timestamp":"%d","type":"text",
                 "text":{"body":"older a"},"history_context":{"status":"READ"}}""".formatted(bsuid, out,
                now() - 5 * 86_400 + 60);
        Webhooks.post(history(Webhooks.PHONE_NUMBER_ID, chunk(1, 7, 30, thread(bsuid, List.of(inbound, outbound)))))
                .then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(in) + count(out) == 2);
        assertThat(message(in).get("phone_number")).isEqualTo(phone);
        assertThat(message(in).get("direction")).isEqualTo("INBOUND");
        assertThat(message(out).get("phone_number")).isEqualTo(phone);
        assertThat(message(out).get("direction")).isEqualTo("OUTBOUND");
        assertThat(message(out).get("status")).isEqualTo("read");
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", bsuid)).isZero();
    }

    @Test
    void aDeclineIsRecordedAndShownOnTheSettings() {
        String number = newPhoneNumberId();
        String id = settings(number);
        String declined = """
                {"errors":[{"code":2593109,"title":"History sharing is turned off by the business",
                 "message":"History sharing is turned off by the business",
                 "error_data":{"details":"The business declined to share their chat history."}}]}""";
        Webhooks.post(history(number, declined)).then().statusCode(200);
        Webhooks.post(history(number, declined)).then().statusCode(200);

        Response got = given().header("Authorization", admin()).get("/api/v1/settings/" + id);
        got.then().statusCode(200);
        assertThat(got.jsonPath().getInt("history.declined.code")).isEqualTo(2593109);
        assertThat(got.jsonPath().getString("history.declined.title")).contains("turned off");
        assertThat(got.jsonPath().getString("history.declined.details")).contains("declined");
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ?", number))
                .isEqualTo(1);
    }

    @Test
    void thousandsOfHistoryMessagesAreAnsweredFastAndImportedAfter() {
        String number = newPhoneNumberId();
        long old = now() - 10 * 86_400;
        List<String> threads = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            String customer = uniqueSenderPrefix() + t % 10;
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String wamid = uniqueWamid();
                wamids.add(wamid);
                messages.add(i % 2 == 0 ? historyMessage(customer, null, wamid, old + i, "question " + i, "READ")
                        : historyMessage("15557654321", customer, wamid, old + i, "answer " + i, "READ"));
            }
            threads.add(thread(customer, messages));
        }
        byte[] body = history(number, chunk(2, 1, 10, String.join(",", threads)));
        long started = System.nanoTime();
        Webhooks.post(body).then().statusCode(200);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMillis).as("answered well within Meta's timeout").isLessThan(5_000);
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ? "
                + "and message_count = 3000", number)).as("kept before the answer").isEqualTo(1);

        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> Sql.count(
                "select count(*) from whatsapp_history_chunks where phone_number_id = ? and imported_at is not null",
                number) == 1);
        assertThat(Sql.count("select count(*) from whatsapp_messages where phone_number_id = ? "
                + "and metadata->>'source' = 'history'", number)).isEqualTo(3000);
        assertThat(Sql.count("select count(*) from whatsapp_messages where message_id = ?", wamids.get(2999)))
                .isEqualTo(1);
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ? "
                + "and payload->'threads' is not null", number)).as("an imported chunk keeps no messages").isZero();
        System.out.printf("history of 3000 messages: answered in %d ms, imported in %s%n", tookMillis,
                Sql.row("select (imported_at - received_at)::text as took from whatsapp_history_chunks "
                        + "where phone_number_id = ?", number).get("took"));
    }

    @Test
    void aChunkWhoseReplicaDiedIsTakenAgainAfterItsLease() throws InterruptedException {
        String number = newPhoneNumberId();
        String customer = uniqueSenderPrefix() + "8";
        List<String> messages = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String wamid = uniqueWamid();
            wamids.add(wamid);
            messages.add(historyMessage(customer, null, wamid, now() - 86_400 * 3 + i, "m" + i, "READ"));
        }
        // a replica claimed the chunk, imported the first two messages and died: its lease runs a few seconds more
        Sql.update("insert into whatsapp_history_chunks (phone_number_id, phase, chunk_order, progress, chunk_hash, "
                + "payload, message_count, imported_count, claimed_by, claimed_until) values (?, 0, 1, 100, md5(?), "
                + "?::jsonb, 5, 2, 'replica-that-died', now() + interval '6 seconds')", number,
                chunk(0, 1, 100, thread(customer, messages)), chunk(0, 1, 100, thread(customer, messages)));
        // (the two it imported committed with its cursor)
        Webhooks.post(history(number, chunk(0, 9, 100, thread(customer, messages.subList(0, 2))))).then()
                .statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(wamids.get(0)) == 1);

        Thread.sleep(1_000);
        assertThat(count(wamids.get(4))).as("not taken while its lease holds").isZero();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(wamids.get(4)) == 1);
        assertThat(count(wamids.get(2)) + count(wamids.get(3))).isEqualTo(2);
        assertThat(Sql.count("select count(*) from whatsapp_history_chunks where phone_number_id = ? and chunk_order = 1 "
                + "and imported_at is not null and imported_count = 5 and attempts = 1", number)).isEqualTo(1);
    }

    @Test
    void aChangedNumberMovesTheCustomerToTheNewPhone() {
        String oldPhone = uniqueSenderPrefix() + "9";
        String newPhone = uniqueSenderPrefix() + "0";
        String first = uniqueWamid();
        Webhooks.post(EditRevokeWebhookTest.text(oldPhone, first, now() - 60, "hi")).then().statusCode(200);
        String system = """
                {"from":"%s","id":"%s","timestamp":"%d","type":"system",
                 "system":{"body":"User Ada changed from %s to %s","wa_id":"%s","type":"user_changed_number"}}"""
                .formatted(oldPhone, uniqueWamid(), now() - 30, oldPhone, newPhone, newPhone);
        byte[] change = envelope("messages", "\"messages\":[" + system + "]");
        Webhooks.post(change).then().statusCode(200);
        Webhooks.post(change).then().statusCode(200);

        assertThat(message(first).get("phone_number")).isEqualTo(newPhone);
        assertThat(Sql.count("select count(*) from customer_profiles where wa_id = ?", newPhone)).isEqualTo(1);
        assertThat(Sql.count("select count(*) from customer_profiles where wa_id = ?", oldPhone)).isZero();
        String later = uniqueWamid();
        Webhooks.post(EditRevokeWebhookTest.text(newPhone, later, now(), "from my new number")).then().statusCode(200);
        assertThat(Sql.count("select count(distinct session_id) from whatsapp_messages where message_id in (?, ?)",
                first, later)).as("one session").isEqualTo(1);
        assertThat(Sql.count("select count(*) from gateway_events where type = 'whatsapp.customer.updated' "
                + "and data->>'waId' = ?", newPhone)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anOlderChangedNumberPayloadWithNewWaIdMovesTheCustomerToo() {
        String oldPhone = uniqueSenderPrefix() + "7";
        String newPhone = uniqueSenderPrefix() + "8";
        String first = uniqueWamid();
        Webhooks.post(EditRevokeWebhookTest.text(oldPhone, first, now() - 60, "hi")).then().statusCode(200);
        String system = """
                {"from":"%s","id":"%s","timestamp":"%d","type":"system",
                 "system":{"body":"Ada changed from %s to %s","new_wa_id":"%s","type":"user_changed_number"}}"""
                .formatted(oldPhone, uniqueWamid(), now() - 30, oldPhone, newPhone, newPhone);
        Webhooks.post(envelope("messages", "\"messages\":[" + system + "]")).then().statusCode(200);
        assertThat(message(first).get("phone_number")).isEqualTo(newPhone);
    }

    @Test
    void aChangedNumberThatWroteFirstIsMergedIntoOneSession() {
        String oldPhone = uniqueSenderPrefix() + "1";
        String newPhone = uniqueSenderPrefix() + "2";
        String first = uniqueWamid();
        String second = uniqueWamid();
        Webhooks.post(EditRevokeWebhookTest.text(oldPhone, first, now() - 60, "old number")).then().statusCode(200);
        Webhooks.post(EditRevokeWebhookTest.text(newPhone, second, now() - 50, "new number")).then().statusCode(200);
        String system = """
                {"from":"%s","id":"%s","timestamp":"%d","type":"system",
                 "system":{"body":"User Ada changed from %s to %s","wa_id":"%s","type":"user_changed_number"}}"""
                .formatted(oldPhone, uniqueWamid(), now() - 30, oldPhone, newPhone, newPhone);
        Webhooks.post(envelope("messages", "\"messages\":[" + system + "]")).then().statusCode(200);

        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number in (?, ?)", oldPhone,
                newPhone)).isEqualTo(1);
        assertThat(Sql.count("select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id "
                + "where s.phone_number = ?", newPhone)).as("every message kept").isEqualTo(3);
    }
}
