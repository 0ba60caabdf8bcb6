package io.wagateway.conversation;

import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/** Customers over HTTP: list, get, erasure (every row gone, retries stay erased, the event) and export. */
@QuarkusTest
class CustomerResourceTest {

    static String uniquePhone() {
        return "47" + (1_000_000_000L + ThreadLocalRandom.current().nextLong(8_999_999_999L));
    }

    static String uniqueWamid() {
        return "wamid.TEST" + UUID.randomUUID().toString().replace("-", "");
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static byte[] text(String phone, String wamid, long ts) {
        return Webhooks.inbound(phone, "Erased Customer", Webhooks.text(phone, wamid, ts, "text " + wamid));
    }

    static String customerOf(String waId) {
        return (String) Sql.row("select cast(id as text) as id from customer_profiles where wa_id = ?", waId).get("id");
    }

    static String sessionOf(String phone) {
        return (String) Sql.row("select cast(id as text) as id from whatsapp_sessions where phone_number = ?", phone)
                .get("id");
    }

    @Test
    void listsFiltersPagesAndGets() {
        String phone = uniquePhone();
        Webhooks.post(text(phone, uniqueWamid(), now() - 60)).then().statusCode(200).body("stored", equalTo(1));
        String id = customerOf(phone);
        String session = sessionOf(phone);

        given().header("Authorization", admin()).queryParam("waId", "+" + phone).get("/api/v1/customers")
                .then().statusCode(200).body("items.size()", equalTo(1)).body("items[0].id", equalTo(id))
                .body("items[0].waId", equalTo(phone)).body("items[0].displayName", equalTo("Erased Customer"))
                .body("items[0].sessions[0].id", equalTo(session)).body("items[0].sessions[0].phoneNumber", equalTo(phone))
                .body("nextCursor", equalTo(null));
        given().header("Authorization", admin()).get("/api/v1/customers/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("sessions.size()", equalTo(1));

        List<String> expected = Sql.rows("select cast(id as text) as id from customer_profiles "
                + "order by created_at desc, id desc").stream().map(r -> (String) r.get("id")).toList();
        List<String> ids = SessionResourceTest.pageThrough("/api/v1/customers", 3, r -> r, null);
        assertThat(ids).doesNotHaveDuplicates().containsExactlyElementsOf(expected);

        given().header("Authorization", admin()).get("/api/v1/customers/00000000-0000-0000-0000-00000000abcd")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", admin()).delete("/api/v1/customers/00000000-0000-0000-0000-00000000abcd")
                .then().statusCode(404);
        given().header("Authorization", admin()).get("/api/v1/customers/00000000-0000-0000-0000-00000000abcd/export")
                .then().statusCode(404);
        given().header("Authorization", admin()).queryParam("waId", "abc").get("/api/v1/customers")
                .then().statusCode(400);
        given().get("/api/v1/customers").then().statusCode(401);
        given().get("/api/v1/customers/" + id).then().statusCode(401);
        given().delete("/api/v1/customers/" + id).then().statusCode(401);
        given().get("/api/v1/customers/" + id + "/export").then().statusCode(401);
        assertThat(Sql.count("select count(*) from customer_profiles where id = cast(? as uuid)", id)).isOne();
    }

    @Test
    void erasureRemovesEveryRowOfTheCustomerAndARetryStaysErased() {
        String phone = uniquePhone();
        String first = uniqueWamid();
        String second = uniqueWamid();
        byte[] firstBody = text(phone, first, now() - 3600);
        Webhooks.post(firstBody).then().statusCode(200).body("stored", equalTo(1));
        Webhooks.post(text(phone, second, now() - 1800)).then().statusCode(200).body("stored", equalTo(1));
        String id = customerOf(phone);
        String session = sessionOf(phone);
        String missing = uniqueWamid();
        Sql.update("insert into whatsapp_pending_statuses (message_id, status, status_rank, payload) "
                + "values (?, 'read', 4, cast(? as jsonb))", missing, "{\"recipient_id\":\"" + phone + "\"}");
        Sql.update("insert into whatsapp_pending_statuses (message_id, status, status_rank, payload) "
                + "values (?, 'read', 4, '{}')", first);
        // Another customer, untouched.
        String other = uniquePhone();
        String otherWamid = uniqueWamid();
        Webhooks.post(text(other, otherWamid, now() - 60)).then().statusCode(200).body("stored", equalTo(1));
        String otherSession = sessionOf(other);
        long otherEvents = Sql.count("select count(*) from gateway_events where subject = cast(? as uuid)", otherSession);
        assertThat(Sql.count("select count(*) from gateway_events where subject = cast(? as uuid)", session)).isPositive();

        given().header("Authorization", admin()).delete("/api/v1/customers/" + id).then().statusCode(204);

        assertThat(Sql.count("select count(*) from customer_profiles where wa_id = ?", phone)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", phone)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_messages where message_id in (?, ?)", first, second))
                .isZero();
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id in (?, ?)", first,
                missing)).isZero();
        assertThat(Sql.count("select count(*) from gateway_events where subject = cast(? as uuid)", session)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_deleted_messages where message_id in (?, ?)", first,
                second)).as("no plain wamid kept").isZero();
        assertThat(Sql.count("select count(*) from whatsapp_erased_messages where message_hash = sha256(convert_to(?, 'UTF8'))",
                first)).isOne();
        assertThat(Sql.count("select count(*) from whatsapp_erased_customers where wa_id_hash = sha256(convert_to(?, 'UTF8'))",
                phone)).isOne();
        // The other customer's rows stay.
        assertThat(Sql.count("select count(*) from whatsapp_messages where message_id = ?", otherWamid)).isOne();
        assertThat(Sql.count("select count(*) from customer_profiles where wa_id = ?", other)).isOne();
        assertThat(Sql.count("select count(*) from gateway_events where subject = cast(? as uuid)", otherSession))
                .isEqualTo(otherEvents);

        // The erased event: ids and the time only.
        Map<String, Object> event = Sql.row("select data::text as data, subject from gateway_events "
                + "where type = 'whatsapp.customer.erased' and data ->> 'customerId' = ?", id);
        JsonPath data = JsonPath.from((String) event.get("data"));
        assertThat(data.getMap("")).containsOnlyKeys("customerId", "sessionIds", "erasedAt");
        assertThat(data.getList("sessionIds", String.class)).containsExactly(session);
        assertThat((String) event.get("data")).doesNotContain(phone).doesNotContain("Erased Customer");
        assertThat(event.get("subject")).isNull();

        // Meta's retry of an erased message, and a message sent before the erasure: duplicates, nothing stored.
        Webhooks.post(firstBody).then().statusCode(200).body("stored", equalTo(0)).body("duplicates", equalTo(1));
        Webhooks.post(text(phone, uniqueWamid(), now() - 30)).then().statusCode(200).body("stored", equalTo(0));
        // A status retry of an erased message is not kept.
        Webhooks.post(Webhooks.statuses(Webhooks.status(second, "read", now()))).then().statusCode(200);
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = ?", second)).isZero();
        assertThat(Sql.count("select count(*) from customer_profiles where wa_id = ?", phone)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", phone)).isZero();

        // What the customer writes afterwards is a new customer.
        String fresh = uniqueWamid();
        Webhooks.post(text(phone, fresh, now() + 5)).then().statusCode(200).body("stored", equalTo(1));
        assertThat(customerOf(phone)).isNotEqualTo(id);
    }

    @Test
    void anErasureRacingDeliveriesOfTheSameCustomerLeavesNothingOfWhatWasSentBeforeIt() throws Exception {
        String phone = uniquePhone();
        long sentBefore = now() - 120;
        Webhooks.post(text(phone, uniqueWamid(), sentBefore)).then().statusCode(200).body("stored", equalTo(1));
        String id = customerOf(phone);
        int senders = 4;
        int each = 15;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders + 1);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(senders);
        List<java.util.concurrent.Future<List<Integer>>> posted = new java.util.ArrayList<>();
        List<String> wamids = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try {
            for (int t = 0; t < senders; t++) {
                posted.add(pool.submit(() -> {
                    List<Integer> codes = new java.util.ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        String wamid = uniqueWamid();
                        wamids.add(wamid);
                        codes.add(Webhooks.post(text(phone, wamid, sentBefore + i)).statusCode());
                        if (i == 2) {
                            started.countDown();
                        }
                    }
                    return codes;
                }));
            }
            // the erasure lands while every sender is mid-way
            assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            int erased = pool.submit(() -> given().header("Authorization", admin()).delete("/api/v1/customers/" + id)
                    .statusCode()).get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(erased).isEqualTo(204);
            for (java.util.concurrent.Future<List<Integer>> codes : posted) {
                assertThat(codes.get(60, java.util.concurrent.TimeUnit.SECONDS)).as("every delivery acknowledged")
                        .containsOnly(200);
            }
        } finally {
            pool.shutdownNow();
        }
        // whatever committed before the erasure went with it; whatever came after was sent before it and is dropped:
        // no customer, session or message of this phone is left, and no wamid of it in plain text
        assertThat(Sql.count("select count(*) from customer_profiles where wa_id = ?", phone)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_sessions where phone_number = ?", phone)).isZero();
        String[] all = wamids.toArray(String[]::new);
        assertThat(Sql.count("select count(*) from whatsapp_messages where message_id = any (?)", (Object) all))
                .isZero();
        assertThat(Sql.count("select count(*) from whatsapp_deleted_messages where message_id = any (?)",
                (Object) all)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where message_id = any (?)",
                (Object) all)).isZero();
        // and afterwards the phone writes again as a new customer
        Webhooks.post(text(phone, uniqueWamid(), now() + 5)).then().statusCode(200).body("stored", equalTo(1));
        assertThat(customerOf(phone)).isNotEqualTo(id);
    }

    @Test
    void exportHoldsTheProfileSessionsAndEveryMessage() {
        String phone = uniquePhone();
        int count = CustomerExport.PAGE + 5;
        long ts = now() - 7200;
        for (int i = 0; i < count; i++) {
            Webhooks.post(text(phone, uniqueWamid(), ts + i)).then().statusCode(200).body("stored", equalTo(1));
        }
        String id = customerOf(phone);
        String session = sessionOf(phone);
        Sql.update("update whatsapp_sessions set context_data = cast(? as jsonb) where id = cast(? as uuid)",
                "{\"cartId\":\"c-42\"}", session);

        String body = given().header("Authorization", admin()).get("/api/v1/customers/" + id + "/export")
                .then().statusCode(200).contentType("application/json").extract().asString();

        assertThat(body).startsWith("{\"exportedAt\"");
        JsonPath doc = JsonPath.from(body);
        assertThat(doc.getString("customer.id")).isEqualTo(id);
        assertThat(doc.getString("customer.waId")).isEqualTo(phone);
        assertThat(doc.getList("sessions")).hasSize(1);
        assertThat(doc.getString("sessions[0].id")).isEqualTo(session);
        assertThat(doc.getString("sessions[0].contextData.cartId")).isEqualTo("c-42");
        List<String> wamids = doc.getList("sessions[0].messages.messageId", String.class);
        List<String> expected = Sql.rows("select message_id from whatsapp_messages where session_id = cast(? as uuid) "
                + "order by created_at, id", session).stream().map(r -> (String) r.get("message_id")).toList();
        assertThat(wamids).hasSize(count).containsExactlyElementsOf(expected);
        assertThat(doc.getString("sessions[0].messages[0].metadata.message.type")).isEqualTo("text");
        assertThat(doc.getList("pendingStatuses")).isEmpty();
    }
}
