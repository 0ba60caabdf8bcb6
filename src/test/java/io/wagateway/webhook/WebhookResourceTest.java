package io.wagateway.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagateway.support.ManagementPort;
import io.wagateway.support.PostgresTestResource;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/** Black-box: signed deliveries in, rows out. Runs unchanged against the packaged jar (WebhookResourceIT). */
@QuarkusTest
class WebhookResourceTest {

    static String uniquePhone() {
        return "49" + (1_000_000_000L + ThreadLocalRandom.current().nextLong(8_999_999_999L));
    }

    /** Ten digits no uniquePhone() starts with; a burst's senders are this plus one digit. */
    static String uniqueSenderPrefix() {
        return "88" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
    }

    static String uniqueWamid() {
        return "wamid.TEST" + UUID.randomUUID().toString().replace("-", "");
    }

    static Map<String, Object> message(String wamid) {
        return Sql.row("""
                select m.content, m.message_type, m.direction::text as direction, m.metadata::text as metadata,
                       m.status, m.status_errors::text as status_errors, m.wa_timestamp, m.phone_number_id,
                       s.phone_number, s.last_message_at, s.last_inbound_at, s.phone_number_id as session_number,
                       p.wa_id, p.display_name
                from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id
                left join customer_profiles p on p.id = s.customer_profile_id where m.message_id = ?""", wamid);
    }

    static long rowsFor(String wamid) {
        return Sql.count("select count(*) from whatsapp_messages where message_id = ?", wamid);
    }

    // --- handshake --------------------------------------------------------------------------------

    @Test
    void handshakeEchoesTheChallengeForAnActiveRowsVerifyToken() {
        String token = "verify-" + UUID.randomUUID();
        given().header("Authorization", "Bearer " + PostgresTestResource.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("apiKey", "k", "phoneNumberId",
                        String.valueOf(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)),
                        "businessId", "1", "accessToken", "EAAG-token", "webhookToken", token))
                .post("/api/v1/settings").then().statusCode(201);
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", token)
                .queryParam("hub.challenge", "1158201444").get("/webhooks/whatsapp")
                .then().statusCode(200).contentType(ContentType.TEXT).body(equalTo("1158201444"));
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", token + "x")
                .queryParam("hub.challenge", "1158201444").get("/webhooks/whatsapp").then().statusCode(403);
        given().queryParam("hub.mode", "unsubscribe").queryParam("hub.verify_token", token)
                .queryParam("hub.challenge", "1158201444").get("/webhooks/whatsapp").then().statusCode(403);
        given().queryParam("hub.mode", "subscribe").queryParam("hub.challenge", "1").get("/webhooks/whatsapp")
                .then().statusCode(403);
        given().get("/webhooks/whatsapp").then().statusCode(403);
    }

    // --- the shared fixtures ----------------------------------------------------------------------

    @Test
    void textFixture() {
        Webhooks.post(Webhooks.fixture("01-text.json")).then().statusCode(200);
        Map<String, Object> row = message("wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUQzU4RkQ2Q0U2MzIxOUI1NEY2N0EA");
        assertThat(row.get("content")).isEqualTo("Hi! Is my order #48213 on its way?");
        assertThat(row.get("message_type")).isEqualTo("text");
        assertThat(row.get("direction")).isEqualTo("INBOUND");
        assertThat(row.get("phone_number")).isEqualTo("447700900123");
        assertThat(row.get("wa_id")).isEqualTo("447700900123");
        assertThat(row.get("display_name")).isEqualTo("Olivia Bennett");
        assertThat(row.get("phone_number_id")).isEqualTo(Webhooks.PHONE_NUMBER_ID);
        assertThat(row.get("session_number")).isEqualTo(Webhooks.PHONE_NUMBER_ID);
        assertThat(((java.sql.Timestamp) row.get("wa_timestamp")).toInstant()).isEqualTo(Instant.ofEpochSecond(1768466400));
        assertThat((String) row.get("metadata")).contains("\"phoneNumberId\": \"118234567890123\"")
                .contains("\"displayPhoneNumber\": \"15557654321\"").contains("\"contactName\": \"Olivia Bennett\"")
                .contains("\"body\": \"Hi! Is my order #48213 on its way?\"");
    }

    @Test
    void imageFixtureStoresTheCaption() {
        Webhooks.post(Webhooks.fixture("02-image.json")).then().statusCode(200);
        Map<String, Object> row = message("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFEE4NDRDRjcyQkJFRjEzRDFEQ0RFAA==");
        assertThat(row.get("content")).isEqualTo("Foto do produto com defeito 😕");
        assertThat(row.get("message_type")).isEqualTo("image");
        assertThat(row.get("display_name")).isEqualTo("José Álvarez");
        assertThat((String) row.get("metadata")).contains("\"mime_type\": \"image/jpeg\"").contains("3615187646165646");
    }

    @Test
    void locationFixture() {
        Webhooks.post(Webhooks.fixture("04-location.json")).then().statusCode(200);
        assertThat(message("wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUQ0M5RjNFNkY0NTAwRUY5QjczRDEA").get("content"))
                .isEqualTo("📍 Baker Street Pickup Point, 221B Baker Street, London NW1 6XE");
    }

    @Test
    void interactiveButtonReplyFixture() {
        Webhooks.post(Webhooks.fixture("05-interactive-button-reply.json")).then().statusCode(200);
        Map<String, Object> row = message("wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUMUMyMkRCODNCNjhGOTdCMDY3NTMA");
        assertThat(row.get("content")).isEqualTo("Reschedule");
        assertThat(row.get("message_type")).isEqualTo("interactive");
        assertThat((String) row.get("metadata"))
                .contains("wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSN0E0QjMyOTY4NjQyMzM0NTIzAA==").contains("reschedule-btn");
    }

    @Test
    void reactionFixture() {
        Webhooks.post(Webhooks.fixture("07-reaction.json")).then().statusCode(200);
        Map<String, Object> row = message("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFEREMzlDQkJERjg0RkNBQ0VEQkU0AA==");
        assertThat(row.get("content")).isEqualTo("👍");
        assertThat(row.get("message_type")).isEqualTo("reaction");
        assertThat((String) row.get("metadata")).contains("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjdFOTQ0MjhBNTA3RUZCMzUyMAA=");
    }

    @Test
    void templateQuickReplyButtonFixture() {
        Webhooks.post(Webhooks.fixture("08-button-template-quick-reply.json")).then().statusCode(200);
        Map<String, Object> row = message("wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFEU3NkEyMjM0MDQxRUNFNjk1QkNCAA==");
        assertThat(row.get("content")).isEqualTo("Confirm");
        assertThat(row.get("message_type")).isEqualTo("button");
        assertThat((String) row.get("metadata")).contains("CONFIRM_APPOINTMENT_7731");
    }

    @Test
    void batchFixtureLinksEachMessageToItsOwnContactNotByPosition() {
        Webhooks.post(Webhooks.fixture("15-batch-two-contacts.json")).then().statusCode(200)
                .body("stored", org.hamcrest.Matchers.lessThanOrEqualTo(2));
        Map<String, Object> lena = message("wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFDI1MDhCRTNFRjEzNUI2QjNFRTlBAA==");
        Map<String, Object> priya = message("wamid.HBgLMTY1MDU1NTAxOTkVAgASGBQxMjgyQ0I4MDJBMDU1RDNGRDA1RQA=");
        assertThat(lena.get("display_name")).isEqualTo("Lena Müller");
        assertThat(lena.get("phone_number")).isEqualTo("4915112345678");
        assertThat(lena.get("content")).isEqualTo("Guten Tag, haben Sie das auch in Größe M?");
        assertThat(priya.get("display_name")).isEqualTo("Priya Raman");
        assertThat(priya.get("phone_number")).isEqualTo("16505550199");
        assertThat(priya.get("content")).isEqualTo("Thanks, received it!");
    }

    @Test
    void replyWithContextFixture() {
        Webhooks.post(Webhooks.fixture("16-reply-with-context.json")).then().statusCode(200);
        Map<String, Object> row = message("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDZFNzA2QzA1MEQyRDg0Qzc5NDlCAA==");
        assertThat(row.get("content")).isEqualTo("Sim, pode enviar para este endereço.");
        assertThat((String) row.get("metadata")).contains("\"context\"")
                .contains("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjdFOTQ0MjhBNTA3RUZCMzUyMAA=");
    }

    @Test
    void statusFixturesMoveAnOutboundMessageForwardAndFailedKeepsItsErrors() {
        String sentWamid = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSRTVEMDY4QTJBMTBDOTlGNjg2AA==";
        String failedWamid = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjQ2NDhCQzg1QUQzNUZGMjI1NgA=";
        outbound(sentWamid, "447700900123");
        outbound(failedWamid, "5511987654321");
        // Read arrives before sent (Meta does not order webhooks): read stays.
        Webhooks.post(Webhooks.fixture("13-status-read.json")).then().statusCode(200);
        Webhooks.post(Webhooks.fixture("11-status-sent.json")).then().statusCode(200);
        assertThat(message(sentWamid).get("status")).isEqualTo("read");
        Webhooks.post(Webhooks.fixture("14-status-failed.json")).then().statusCode(200);
        Map<String, Object> failed = message(failedWamid);
        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat((String) failed.get("status_errors")).contains("131047").contains("Re-engagement message");
    }

    // --- every inbound type in the reference ------------------------------------------------------

    @Test
    void everyMessageTypeIsStoredWithReadableContent() {
        String from = uniquePhone();
        Map<String, String> expectations = new java.util.LinkedHashMap<>();
        String[][] cases = {
                { "video", "\"video\":{\"caption\":\"Unboxing\",\"mime_type\":\"video/mp4\",\"sha256\":\"x\",\"id\":\"1\"}",
                        "Unboxing" },
                { "audio", "\"audio\":{\"mime_type\":\"audio/ogg; codecs=opus\",\"sha256\":\"x\",\"id\":\"2\",\"voice\":true}",
                        "[voice message]" },
                { "document",
                        "\"document\":{\"filename\":\"invoice.pdf\",\"mime_type\":\"application/pdf\",\"sha256\":\"x\",\"id\":\"3\"}",
                        "[document: invoice.pdf]" },
                { "sticker", "\"sticker\":{\"mime_type\":\"image/webp\",\"sha256\":\"x\",\"id\":\"4\",\"animated\":false}",
                        "[sticker]" },
                { "contacts",
                        "\"contacts\":[{\"name\":{\"formatted_name\":\"Ana Lima\",\"first_name\":\"Ana\"},\"phones\":[{\"phone\":\"+55 11 5555-0000\",\"type\":\"CELL\"}]}]",
                        "👤 Ana Lima (+55 11 5555-0000)" },
                { "interactive",
                        "\"interactive\":{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"priority_express\",\"title\":\"Express\",\"description\":\"Next day\"}}",
                        "Express — Next day" },
                { "interactive",
                        "\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":{\"name\":\"flow\",\"body\":\"Sent\",\"response_json\":\"{\\\"flow_token\\\":\\\"t\\\"}\"}}",
                        "Sent" },
                { "reaction", "\"reaction\":{\"message_id\":\"wamid.X\"}", "[reaction removed]" },
                { "order",
                        "\"order\":{\"catalog_id\":\"c1\",\"text\":\"Gift wrap please\",\"product_items\":[{\"product_retailer_id\":\"sku-1\",\"quantity\":\"2\",\"item_price\":7.99,\"currency\":\"EUR\"}]}",
                        "🛒 Order: 1 item — Gift wrap please" },
                { "system",
                        "\"system\":{\"body\":\"User A changed from 1 to 2\",\"wa_id\":\"2\",\"type\":\"user_changed_number\"}",
                        "User A changed from 1 to 2" },
                { "unsupported",
                        "\"errors\":[{\"code\":131051,\"title\":\"Message type unknown\"}],\"unsupported\":{\"type\":\"poll\"}",
                        "[unsupported message: poll]" },
                { "hologram", "\"hologram\":{\"frames\":3}", "[hologram message]" },
                { "text",
                        "\"text\":{\"body\":\"From an ad\"},\"referral\":{\"source_url\":\"https://fb.me/ad\",\"source_type\":\"ad\",\"headline\":\"Sale\",\"ctwa_clid\":\"clid\"}",
                        "From an ad" },
        };
        List<String> wamids = new ArrayList<>();
        long ts = 1768466400;
        for (String[] c : cases) {
            String wamid = uniqueWamid();
            wamids.add(wamid);
            String json = "{\"from\":\"%s\",\"id\":\"%s\",\"timestamp\":\"%d\",\"type\":\"%s\",%s}"
                    .formatted(from, wamid, ts++, c[0], c[1]);
            Webhooks.post(Webhooks.inbound(from, "Typer", json)).then().statusCode(200).body("stored", equalTo(1));
            expectations.put(wamid, c[2]);
        }
        for (int i = 0; i < cases.length; i++) {
            Map<String, Object> row = message(wamids.get(i));
            assertThat(row.get("message_type")).as(cases[i][0]).isEqualTo(cases[i][0]);
            assertThat(row.get("content")).as(cases[i][0]).isEqualTo(expectations.get(wamids.get(i)));
        }
        assertThat((String) message(wamids.get(11)).get("metadata")).as("unknown type keeps its raw JSON")
                .contains("\"hologram\": {\"frames\": 3}");
        assertThat((String) message(wamids.get(12)).get("metadata")).contains("ctwa_clid");
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", from)).isEqualTo(1);
    }

    @Test
    void lastMessageAtOnlyMovesForwardAndTheNameFollowsTheProfile() {
        String from = uniquePhone();
        Webhooks.post(Webhooks.inbound(from, "First Name", Webhooks.text(from, uniqueWamid(), 1768470000, "later")))
                .then().statusCode(200);
        Webhooks.post(Webhooks.inbound(from, "New Name", Webhooks.text(from, uniqueWamid(), 1768460000, "earlier")))
                .then().statusCode(200);
        Map<String, Object> session = Sql.row("""
                select s.last_message_at, s.last_inbound_at, p.display_name from whatsapp_sessions s
                join customer_profiles p on p.id = s.customer_profile_id where s.phone_number = ?""", from);
        assertThat(((java.sql.Timestamp) session.get("last_message_at")).toInstant())
                .isEqualTo(Instant.ofEpochSecond(1768470000));
        assertThat(((java.sql.Timestamp) session.get("last_inbound_at")).toInstant())
                .isEqualTo(Instant.ofEpochSecond(1768470000));
        assertThat(session.get("display_name")).isEqualTo("New Name");
    }

    // --- exactly once under concurrency -----------------------------------------------------------

    @Test
    void theSameDeliveryPosted20TimesConcurrentlyIsStoredOnce() throws Exception {
        String from = uniquePhone();
        String wamid = uniqueWamid();
        byte[] body = Webhooks.inbound(from, "Racer", Webhooks.text(from, wamid, 1768466400, "once"));
        List<Integer> statuses = concurrently(20, i -> Webhooks.post(body).statusCode());
        assertThat(statuses).containsOnly(200);
        assertThat(rowsFor(wamid)).isEqualTo(1);
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", from)).isEqualTo(1);
    }

    @Test
    void twentyConcurrentFirstMessagesFromOneNumberMakeOneSessionAndOneProfile() throws Exception {
        String from = uniquePhone();
        List<Integer> statuses = concurrently(20, i -> Webhooks.post(Webhooks.inbound(from, "Burst",
                Webhooks.text(from, uniqueWamid(), 1768466400 + i, "msg " + i))).statusCode());
        assertThat(statuses).containsOnly(200);
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", from)).isEqualTo(1);
        assertThat(Sql.count("select count(*) from customer_profiles where wa_id = ?", from)).isEqualTo(1);
        assertThat(Sql.count("""
                select count(*) from whatsapp_messages m join whatsapp_sessions s on s.id = m.session_id
                where s.phone_number = ?""", from)).isEqualTo(20);
    }

    @Test
    void fiftyConcurrentDeliveriesFromFiveSendersMakeFiveSessionsAndFiveProfiles() throws Exception {
        String prefix = uniqueSenderPrefix();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            wamids.add(uniqueWamid());
        }
        List<Integer> statuses = concurrently(50, i -> {
            String from = prefix + (i % 5);
            return Webhooks.post(Webhooks.inbound(from, "Five " + (i % 5),
                    Webhooks.text(from, wamids.get(i), 1768466400 + i, "burst " + i))).statusCode();
        });
        assertThat(statuses).containsOnly(200);
        assertThat(wamids).allSatisfy(wamid -> assertThat(rowsFor(wamid)).as(wamid).isEqualTo(1));
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number like ?", prefix + "%"))
                .isEqualTo(5);
        assertThat(Sql.count("select count(*) from customer_profiles where wa_id like ?", prefix + "%")).isEqualTo(5);
        for (int s = 0; s < 5; s++) {
            Map<String, Object> session = Sql.row("""
                    select s.last_message_at, p.display_name, count(m.id) as messages from whatsapp_sessions s
                    join customer_profiles p on p.id = s.customer_profile_id join whatsapp_messages m on m.session_id = s.id
                    where s.phone_number = ? group by s.id, p.id""", prefix + s);
            assertThat(session.get("messages")).isEqualTo(10L);
            assertThat(session.get("display_name")).isEqualTo("Five " + s);
            assertThat(((java.sql.Timestamp) session.get("last_message_at")).toInstant())
                    .isEqualTo(Instant.ofEpochSecond(1768466400L + 45 + s));
        }
    }

    @Test
    void concurrentRedeliveriesMixedWithDistinctMessagesStoreOneRowPerWamid() throws Exception {
        String from = uniquePhone();
        List<byte[]> bodies = new ArrayList<>();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String wamid = uniqueWamid();
            wamids.add(wamid);
            byte[] body = Webhooks.inbound(from, "Mixed", Webhooks.text(from, wamid, 1768466400 + i, "mixed " + i));
            for (int copies = 0; copies < 1 + i % 4; copies++) {
                bodies.add(body);
            }
        }
        java.util.Collections.shuffle(bodies);
        List<Response> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Integer> statuses = concurrently(bodies.size(), i -> {
            Response response = Webhooks.post(bodies.get(i));
            answers.add(response);
            return response.statusCode();
        });
        assertThat(statuses).containsOnly(200);
        assertThat(wamids).allSatisfy(wamid -> assertThat(rowsFor(wamid)).as(wamid).isEqualTo(1));
        assertThat(answers.stream().mapToInt(r -> r.jsonPath().getInt("stored")).sum()).as("each wamid stored once")
                .isEqualTo(8);
        assertThat(answers.stream().mapToInt(r -> r.jsonPath().getInt("duplicates")).sum()).isEqualTo(bodies.size() - 8);
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", from)).isEqualTo(1);
    }

    // --- text PostgreSQL would refuse -------------------------------------------------------------

    @Test
    void aNulInTheMessageIsStoredAsTheReplacementCharacter() {
        String from = uniquePhone();
        String wamid = uniqueWamid();
        // In the JSON, backslash-u0000 is a NUL (PostgreSQL refuses it in text and jsonb); after an escaped
        // backslash, "u0000" is plain text and stays.
        String json = """
                {"from":"%s","id":"%s","timestamp":"1768466400","type":"text","text":{"body":"a\\u0000b \\\\u0000"},
                "x\\u0000y":"field name"}""".formatted(from, wamid);
        Webhooks.post(Webhooks.inbound(from, "Nu\\u0000ll", json)).then().statusCode(200).body("stored", equalTo(1));
        Map<String, Object> row = message(wamid);
        assertThat(row.get("content")).isEqualTo("a\uFFFDb \\u0000");
        assertThat(row.get("display_name")).isEqualTo("Nu\uFFFDll");
        assertThat((String) row.get("metadata")).contains("\"body\": \"a\uFFFDb \\\\u0000\"")
                .contains("\"x\uFFFDy\": \"field name\"").contains("\"contactName\": \"Nu\uFFFDll\"");
        // A redelivery meets the stored row: the replacement is the same every time.
        Webhooks.post(Webhooks.inbound(from, "Nu\\u0000ll", json)).then().statusCode(200).body("duplicates", equalTo(1));
        assertThat(rowsFor(wamid)).isEqualTo(1);
    }

    @Test
    void aNulInOneOfManyConcurrentDeliveriesFailsNone() throws Exception {
        String prefix = uniqueSenderPrefix();
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            wamids.add(uniqueWamid());
        }
        List<Integer> statuses = concurrently(30, i -> {
            String from = prefix + (i % 3);
            String text = i % 10 == 3 ? "nul\\u0000" + i : "plain " + i;
            return Webhooks.post(Webhooks.inbound(from, "Nul", Webhooks.text(from, wamids.get(i), 1768466400 + i, text)))
                    .statusCode();
        });
        assertThat(statuses).containsOnly(200);
        assertThat(wamids).allSatisfy(wamid -> assertThat(rowsFor(wamid)).as(wamid).isEqualTo(1));
        assertThat(message(wamids.get(13)).get("content")).isEqualTo("nul\uFFFD13");
    }

    @Test
    void aBatchWithAStoredMessageStoresTheRestAndSkipsTheDuplicate() {
        String a = uniquePhone();
        String b = uniquePhone();
        String known = uniqueWamid();
        String fresh = uniqueWamid();
        Webhooks.post(Webhooks.inbound(a, "A", Webhooks.text(a, known, 1768466400, "first"))).then().statusCode(200);
        byte[] batch = ("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                "metadata":{"phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"B"},"wa_id":"%s"},{"profile":{"name":"A"},"wa_id":"%s"}],
                "messages":[%s,%s]}}]}]}""").formatted(Webhooks.PHONE_NUMBER_ID, b, a,
                Webhooks.text(a, known, 1768466400, "first"), Webhooks.text(b, fresh, 1768466401, "second"))
                .getBytes(StandardCharsets.UTF_8);
        Webhooks.post(batch).then().statusCode(200).body("stored", equalTo(1)).body("duplicates", equalTo(1));
        assertThat(rowsFor(known)).isEqualTo(1);
        assertThat(message(fresh).get("display_name")).isEqualTo("B");
    }

    // --- statuses ---------------------------------------------------------------------------------

    @Test
    void statusesOutOfOrderEndAtTheHighestAndRepeatsAreNoOps() {
        String wamid = uniqueWamid();
        outbound(wamid, uniquePhone());
        Webhooks.post(Webhooks.statuses(Webhooks.status(wamid, "read", 1768467530))).then().statusCode(200)
                .body("statusesApplied", equalTo(1));
        Webhooks.post(Webhooks.statuses(Webhooks.status(wamid, "delivered", 1768467500))).then().statusCode(200)
                .body("statusesApplied", equalTo(0));
        Webhooks.post(Webhooks.statuses(Webhooks.status(wamid, "sent", 1768467400))).then().statusCode(200);
        Webhooks.post(Webhooks.statuses(Webhooks.status(wamid, "read", 1768467530))).then().statusCode(200);
        Map<String, Object> row = message(wamid);
        assertThat(row.get("status")).isEqualTo("read");
        // Unknown status strings are acknowledged, never applied.
        Webhooks.post(Webhooks.statuses(Webhooks.status(wamid, "deleted", 1768467600))).then().statusCode(200);
        assertThat(message(wamid).get("status")).isEqualTo("read");
    }

    @Test
    void aStatusForAMessageNotStoredYetIsKeptOnce() {
        String wamid = uniqueWamid();
        for (int i = 0; i < 3; i++) {
            Webhooks.post(Webhooks.statuses(Webhooks.status(wamid, "delivered", 1768467500))).then().statusCode(200);
        }
        Webhooks.post(Webhooks.statuses(Webhooks.status(wamid, "sent", 1768467400))).then().statusCode(200)
                .body("statusesPending", equalTo(1));
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", wamid)).isEqualTo(2);
    }

    // --- refusals ---------------------------------------------------------------------------------

    @Test
    void badSignaturesAreRefusedAndStoreNothing() {
        String from = uniquePhone();
        String wamid = uniqueWamid();
        byte[] body = Webhooks.inbound(from, "Forger", Webhooks.text(from, wamid, 1768466400, "forged"));
        Webhooks.post(body, null).then().statusCode(401).contentType("application/problem+json");
        Webhooks.post(body, "").then().statusCode(401);
        Webhooks.post(body, "sha256=deadbeef").then().statusCode(401);
        Webhooks.post(body, io.wagateway.webhook.SignatureVerifier.sign("some_other_apps_secret", body))
                .then().statusCode(401);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("forged", "FORGED")
                .getBytes(StandardCharsets.UTF_8);
        Webhooks.post(tampered, Webhooks.sign(body)).then().statusCode(401);
        assertThat(rowsFor(wamid)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", from)).isZero();
    }

    @Test
    void invalidJsonWithAValidSignatureIs400AndOversizedIs413() {
        byte[] broken = "{\"object\":\"whatsapp_business_account\",\"entry\":[".getBytes(StandardCharsets.UTF_8);
        Webhooks.post(broken).then().statusCode(400).contentType("application/problem+json");
        Webhooks.post("[1,2]".getBytes(StandardCharsets.UTF_8)).then().statusCode(400);
        assertThat(Webhooks.postOversized(5 * 1024 * 1024)).isEqualTo(413);
        // Meta sends up to 3 MB: such a body (whitespace-padded) is accepted.
        String from = uniquePhone();
        String wamid = uniqueWamid();
        byte[] message = Webhooks.inbound(from, "Big", Webhooks.text(from, wamid, 1768466400, "big"));
        byte[] big = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        System.arraycopy(message, 0, big, 0, message.length);
        Webhooks.post(big).then().statusCode(200);
        assertThat(rowsFor(wamid)).isEqualTo(1);
    }

    @Test
    void otherFieldsAndValueErrorsAreAcknowledged() {
        byte[] other = ("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
                {"field":"account_update","value":{"event":"VERIFIED_ACCOUNT"}},
                {"field":"messages","value":{"metadata":{"phone_number_id":"%s"},
                 "errors":[{"code":130429,"title":"Rate limit hit","error_data":{"details":"slow down"}}]}}]}]}""")
                .formatted(Webhooks.PHONE_NUMBER_ID).getBytes(StandardCharsets.UTF_8);
        Webhooks.post(other).then().statusCode(200).body("stored", equalTo(0));
        given().get(ManagementPort.url("/q/metrics")).then().statusCode(200)
                .body(containsString("whatsapp_webhook_errors_total{code=\"130429\""))
                .body(containsString("whatsapp_webhook_ignored_changes_total{field=\"account_update\""));
    }

    @Test
    void badRequestsMixedIntoValidLoadAreRefusedAndStoreNothing() throws Exception {
        String prefix = "77" + (100_000 + ThreadLocalRandom.current().nextInt(800_000));
        List<Integer> answers = concurrently(40, i -> {
            String from = prefix + String.format("%04d", i);
            String wamid = "wamid.MIX" + prefix + "_" + i;
            byte[] body = Webhooks.inbound(from, "Mixed", Webhooks.text(from, wamid, 1768466400, "mixed " + i));
            return switch (i % 4) {
                case 0 -> Webhooks.post(body).statusCode(); // valid
                case 1 -> Webhooks.post(body, null).statusCode(); // unsigned
                case 2 -> Webhooks.post(body, SignatureVerifier.sign("another-app", body)).statusCode(); // wrong secret
                default -> Webhooks.post(("{\"entry\":[" + i).getBytes(StandardCharsets.UTF_8)).statusCode(); // malformed
            };
        });
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i)).as("request " + i).isEqualTo(switch (i % 4) {
                case 0 -> 200;
                case 3 -> 400;
                default -> 401;
            });
        }
        assertThat(Webhooks.postOversized(5 * 1024 * 1024)).isEqualTo(413);
        assertThat(Sql.count("select count(*) from whatsapp_messages where message_id like ?", "wamid.MIX" + prefix + "%"))
                .isEqualTo(10);
        assertThat(Sql.rows("select message_id from whatsapp_messages where message_id like ?", "wamid.MIX" + prefix + "%")
                .stream().map(r -> (String) r.get("message_id"))
                .map(id -> Integer.parseInt(id.substring(id.lastIndexOf('_') + 1)))).allMatch(i -> i % 4 == 0);
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number like ?", prefix + "%"))
                .isEqualTo(10);
    }

    // --- database outage --------------------------------------------------------------------------

    @Test
    void databaseUnavailableAnswers503AndTheRetryIsStoredOnce() {
        String from = uniquePhone();
        String wamid = uniqueWamid();
        String statusWamid = uniqueWamid();
        byte[] body = Webhooks.inbound(from, "Outage", Webhooks.text(from, wamid, 1768466400, "during outage"));
        byte[] batch = Webhooks.statuses(Webhooks.status(statusWamid, "sent", 1768466400));
        PostgresTestResource.proxy().cut();
        try {
            Webhooks.post(body).then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5");
            Webhooks.post(batch).then().statusCode(503);
            given().get(ManagementPort.url("/q/health/ready")).then().statusCode(503).body("status", equalTo("DOWN"));
        } finally {
            PostgresTestResource.proxy().restore();
        }
        assertThat(rowsFor(wamid)).isZero();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Webhooks.post(body).statusCode() == 200);
        Webhooks.post(body).then().statusCode(200).body("duplicates", equalTo(1));
        assertThat(rowsFor(wamid)).isEqualTo(1);
        given().get(ManagementPort.url("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void databaseLostInTheMiddleOfABatchLeavesNothingHalfWritten() throws Exception {
        String a = "10" + uniquePhone();
        String b = "20" + uniquePhone();
        String wamidA = uniqueWamid();
        String wamidB = uniqueWamid();
        Webhooks.post(Webhooks.inbound(b, "B", Webhooks.text(b, uniqueWamid(), 1768466300, "earlier")))
                .then().statusCode(200);
        byte[] batch = ("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                "metadata":{"phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"A"},"wa_id":"%s"},{"profile":{"name":"B"},"wa_id":"%s"}],
                "messages":[%s,%s]}}]}]}""").formatted(Webhooks.PHONE_NUMBER_ID, a, b,
                Webhooks.text(a, wamidA, 1768466400, "a"), Webhooks.text(b, wamidB, 1768466401, "b"))
                .getBytes(StandardCharsets.UTF_8);
        // Hold B's session row so that the delivery's transaction stops after writing A's message.
        try (java.sql.Connection lock = io.wagateway.support.TestDatabase.current().connect()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("select 1 from whatsapp_sessions where phone_number = '" + b + "' for update");
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> answer = executor.submit(() -> Webhooks.post(batch).statusCode());
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Sql
                        .count("""
                                select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()""") > 0);
                PostgresTestResource.proxy().cut();
                assertThat(answer.get()).isEqualTo(503);
            } finally {
                PostgresTestResource.proxy().restore();
                lock.rollback();
                executor.shutdownNow();
            }
        }
        assertThat(rowsFor(wamidA)).as("A was written inside the aborted transaction").isZero();
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", a)).isZero();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Webhooks.post(batch).statusCode() == 200);
        assertThat(rowsFor(wamidA)).isEqualTo(1);
        assertThat(rowsFor(wamidB)).isEqualTo(1);
    }

    @Test
    void metricsCountOutcomesTypesAndLatency() {
        String from = uniquePhone();
        Webhooks.post(Webhooks.inbound(from, "M", Webhooks.text(from, uniqueWamid(), 1768466400, "m"))).then().statusCode(200);
        Webhooks.post("{}".getBytes(StandardCharsets.UTF_8), "sha256=00").then().statusCode(401);
        String metrics = given().get(ManagementPort.url("/q/metrics")).then().statusCode(200).extract().asString();
        assertThat(metrics).contains("whatsapp_webhook_deliveries_total{outcome=\"stored\"}")
                .contains("whatsapp_webhook_deliveries_total{outcome=\"rejected_signature\"}")
                .contains("whatsapp_webhook_messages_total{type=\"text\"}")
                .contains("whatsapp_webhook_unrouted_total")
                .contains("whatsapp_webhook_ingest_seconds_bucket");
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** An OUTBOUND message as the send API stores it, to receive statuses. */
    static void outbound(String wamid, String phone) {
        Sql.update("""
                insert into whatsapp_sessions (phone_number, updated_at) values (?, now())
                on conflict (phone_number) do nothing""", phone);
        Sql.update("""
                insert into whatsapp_messages (session_id, message_id, direction, content, message_type, status, status_rank)
                select id, ?, 'OUTBOUND', 'Your order shipped', 'text', 'accepted', 1 from whatsapp_sessions
                where phone_number = ? on conflict (message_id) do nothing""", wamid, phone);
    }

    interface Call {
        int run(int i) throws Exception;
    }

    static List<Integer> concurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Integer> task = () -> {
                    start.await();
                    return call.run(index);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
