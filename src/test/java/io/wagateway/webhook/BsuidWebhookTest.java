package io.wagateway.webhook;

import static io.wagateway.webhook.WebhookResourceTest.uniqueSenderPrefix;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * Business-scoped user ids (issue 14) through the webhook, with Meta's payload shapes: a message whose phone is
 * withheld (only {@code from_user_id} and the contact's {@code user_id}), the link of a phone and a BSUID, the merge
 * of the two customers they had become (also under concurrent deliveries), statuses with only
 * {@code recipient_user_id}, and the {@code user_id_update} webhook. Every delivery is signed; redeliveries store
 * nothing twice.
 */
@QuarkusTest
class BsuidWebhookTest {

    static String uniqueBsuid() {
        return "US." + Math.abs(ThreadLocalRandom.current().nextLong());
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    /**
     * A text message as Meta sends it in 2026: {@code phone} null = withheld ({@code from} and {@code wa_id}
     * empty), {@code bsuid} null = a delivery from before BSUIDs.
     */
    static byte[] message(String phone, String bsuid, String username, String wamid, long timestamp) {
        String contact = "{\"profile\":{\"name\":\"Ada\"" + (username == null ? "" : ",\"username\":\"" + username + "\"")
                + (bsuid == null ? "" : ",\"country_code\":\"US\"") + "},\"wa_id\":\"" + (phone == null ? "" : phone)
                + "\"" + (bsuid == null ? "" : ",\"user_id\":\"" + bsuid + "\"") + "}";
        String message = "{\"from\":\"" + (phone == null ? "" : phone) + "\""
                + (bsuid == null ? "" : ",\"from_user_id\":\"" + bsuid + "\"") + ",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + timestamp + "\",\"type\":\"text\",\"text\":{\"body\":\"hello\"}}";
        return envelope("messages", "\"contacts\":[" + contact + "],\"messages\":[" + message + "]");
    }

    static byte[] envelope(String field, String value) {
        return ("""
                {"object":"whatsapp_business_account","entry":[{"id":"204567891234567","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15557654321","phone_number_id":"%s"},
                %s},"field":"%s"}]}]}""".formatted(Webhooks.PHONE_NUMBER_ID, value, field))
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<Map<String, Object>> customers(String phone, String bsuid) {
        return Sql.rows("select id, wa_id, user_id, username, country_code from customer_profiles "
                + "where wa_id in (?, ?) or user_id = ?", phone, bsuid, bsuid);
    }

    static List<Map<String, Object>> sessions(String phone, String bsuid) {
        return Sql.rows("select id, phone_number, customer_profile_id from whatsapp_sessions "
                + "where phone_number in (?, ?)", phone, bsuid);
    }

    static long messagesIn(Object sessionId) {
        return Sql.count("select count(*) from whatsapp_messages where session_id = ?", sessionId);
    }

    static void post(byte[] body) {
        Webhooks.post(body).then().statusCode(200);
    }

    @Test
    void aMessageWithThePhoneWithheldIsStoredUnderTheBsuid() {
        String bsuid = uniqueBsuid();
        String wamid = uniqueWamid();
        byte[] body = message(null, bsuid, "ada.lovelace", wamid, now());
        post(body);
        post(body);

        List<Map<String, Object>> customers = customers("-", bsuid);
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0)).containsEntry("wa_id", bsuid).containsEntry("user_id", bsuid)
                .containsEntry("username", "ada.lovelace").containsEntry("country_code", "US");
        List<Map<String, Object>> sessions = sessions("-", bsuid);
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0)).containsEntry("phone_number", bsuid)
                .containsEntry("customer_profile_id", customers.get(0).get("id"));
        assertThat(messagesIn(sessions.get(0).get("id"))).as("the redelivery stored nothing").isEqualTo(1);
    }

    @Test
    void aDeliveryWithPhoneAndBsuidLinksThePhoneCustomer() {
        String phone = uniqueSenderPrefix() + "1";
        String bsuid = uniqueBsuid();
        post(message(phone, null, null, uniqueWamid(), now() - 10));
        post(message(phone, bsuid, null, uniqueWamid(), now() - 5));
        // later, the phone withheld: found by the BSUID, stored in the phone's session
        post(message(null, bsuid, "ada", uniqueWamid(), now()));

        List<Map<String, Object>> customers = customers(phone, bsuid);
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0)).containsEntry("wa_id", phone).containsEntry("user_id", bsuid)
                .containsEntry("username", "ada");
        List<Map<String, Object>> sessions = sessions(phone, bsuid);
        assertThat(sessions).extracting(s -> s.get("phone_number")).containsExactly(phone);
        assertThat(messagesIn(sessions.get(0).get("id"))).isEqualTo(3);
    }

    @Test
    void aBsuidCustomerTakesThePhoneOnceKnown() {
        String phone = uniqueSenderPrefix() + "2";
        String bsuid = uniqueBsuid();
        post(message(null, bsuid, null, uniqueWamid(), now() - 10));
        Object customer = customers(phone, bsuid).get(0).get("id");
        post(message(phone, bsuid, null, uniqueWamid(), now()));

        List<Map<String, Object>> customers = customers(phone, bsuid);
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0)).containsEntry("id", customer).containsEntry("wa_id", phone)
                .containsEntry("user_id", bsuid);
        List<Map<String, Object>> sessions = sessions(phone, bsuid);
        assertThat(sessions).extracting(s -> s.get("phone_number")).containsExactly(phone);
        assertThat(messagesIn(sessions.get(0).get("id"))).isEqualTo(2);
    }

    @Test
    void aPhoneCustomerAndABsuidCustomerAreMergedByTheDeliveryThatLinksThem() {
        String phone = uniqueSenderPrefix() + "3";
        String bsuid = uniqueBsuid();
        byte[] byPhone = message(phone, null, null, uniqueWamid(), now() - 20);
        byte[] byBsuid = message(null, bsuid, "ada", uniqueWamid(), now() - 10);
        post(byPhone);
        post(byBsuid);
        assertThat(customers(phone, bsuid)).as("two customers before the link").hasSize(2);
        Object phoneCustomer = Sql.row("select id from customer_profiles where wa_id = ?", phone).get("id");
        Object phoneSession = Sql.row("select id from whatsapp_sessions where phone_number = ?", phone).get("id");
        Object bsuidSession = Sql.row("select id from whatsapp_sessions where phone_number = ?", bsuid).get("id");

        post(message(phone, bsuid, "ada", uniqueWamid(), now()));
        // redeliveries of every earlier message store nothing and split nothing
        post(byPhone);
        post(byBsuid);

        List<Map<String, Object>> customers = customers(phone, bsuid);
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0)).containsEntry("id", phoneCustomer).containsEntry("wa_id", phone)
                .containsEntry("user_id", bsuid).containsEntry("username", "ada");
        List<Map<String, Object>> sessions = sessions(phone, bsuid);
        assertThat(sessions).extracting(s -> s.get("id")).containsExactly(phoneSession);
        assertThat(messagesIn(phoneSession)).isEqualTo(3);
        assertThat(messagesIn(bsuidSession)).isZero();
        assertThat(Sql.count("select count(*) from gateway_events where type = 'whatsapp.customer.updated' "
                + "and subject = ? and data->>'userId' = ? and data->>'waId' = ?", phoneSession, bsuid, phone))
                .as("the merge is announced").isGreaterThanOrEqualTo(1);
    }

    @Test
    void concurrentDeliveriesMergeOnceAndKeepEveryMessage() throws Exception {
        String phone = uniqueSenderPrefix() + "4";
        String bsuid = uniqueBsuid();
        post(message(phone, null, null, uniqueWamid(), now() - 30));
        post(message(null, bsuid, null, uniqueWamid(), now() - 20));

        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bodies.add(message(phone, bsuid, null, uniqueWamid(), now() - 10 + i));
            bodies.add(message(null, bsuid, null, uniqueWamid(), now() - 10 + i));
            bodies.add(message(phone, null, null, uniqueWamid(), now() - 10 + i));
        }
        ExecutorService executor = Executors.newFixedThreadPool(bodies.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (byte[] body : bodies) {
                answers.add(executor.submit(() -> {
                    start.await();
                    return Webhooks.post(body).statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            executor.shutdownNow();
        }

        List<Map<String, Object>> customers = customers(phone, bsuid);
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0)).containsEntry("wa_id", phone).containsEntry("user_id", bsuid);
        List<Map<String, Object>> sessions = sessions(phone, bsuid);
        assertThat(sessions).extracting(s -> s.get("phone_number")).containsExactly(phone);
        assertThat(messagesIn(sessions.get(0).get("id"))).isEqualTo(2 + bodies.size());
    }

    @Test
    void aStatusWithOnlyTheRecipientUserIdApplies() {
        String bsuid = uniqueBsuid();
        String wamid = uniqueWamid();
        post(message(null, bsuid, null, uniqueWamid(), now() - 10));
        Object session = Sql.row("select id from whatsapp_sessions where phone_number = ?", bsuid).get("id");
        Sql.update("insert into whatsapp_messages (id, session_id, message_id, direction, content, message_type, "
                + "status, status_rank) values (?, ?, ?, 'OUTBOUND', 'hi', 'text', 'accepted', 1)", UUID.randomUUID(),
                session, wamid);
        String status = """
                {"id":"%s","status":"delivered","timestamp":"%d","recipient_id":"","recipient_user_id":"%s",
                 "conversation":{"id":"c1","origin":{"type":"service"}},
                 "pricing":{"billable":false,"pricing_model":"PMP","category":"service"}}"""
                .formatted(wamid, now(), bsuid);
        byte[] body = envelope("messages", "\"contacts\":[{\"profile\":{\"name\":\"Ada\"},\"wa_id\":\"\",\"user_id\":\""
                + bsuid + "\"}],\"statuses\":[" + status + "]");
        post(body);

        assertThat(Sql.row("select status from whatsapp_messages where message_id = ?", wamid))
                .containsEntry("status", "delivered");
    }

    @Test
    void aUserIdUpdateRecordsTheNewBsuid() {
        String previous = uniqueBsuid();
        String current = uniqueBsuid();
        post(message(null, previous, null, uniqueWamid(), now() - 10));
        byte[] update = envelope("user_id_update", """
                "user_id_update":[{"detail":"User id for Ada has been updated.",
                 "user_id":{"previous":"%s","current":"%s"},"timestamp":"%d"}]""".formatted(previous, current, now()));
        post(update);
        post(update);

        assertThat(Sql.row("select user_id from customer_profiles where wa_id = ?", previous))
                .containsEntry("user_id", current);
        // the next message from the new BSUID joins the same session
        post(message(null, current, null, uniqueWamid(), now()));
        assertThat(Sql.count("select count(*) from customer_profiles where wa_id in (?, ?) or user_id in (?, ?)",
                previous, current, previous, current)).isEqualTo(1);
        Object session = Sql.row("select id from whatsapp_sessions where phone_number = ?", previous).get("id");
        assertThat(messagesIn(session)).isEqualTo(2);
    }

    @Test
    void aUserChangedUserIdSystemMessageRecordsTheNewBsuid() {
        String previous = uniqueBsuid();
        String current = uniqueBsuid();
        post(message(null, previous, null, uniqueWamid(), now() - 10));
        String system = """
                {"from":"","from_user_id":"%s","id":"%s","timestamp":"%d","type":"system",
                 "system":{"body":"User Ada changed from %s to %s","user_id":"%s","type":"user_changed_user_id"}}"""
                .formatted(previous, uniqueWamid(), now(), previous, current, current);
        post(envelope("messages", "\"messages\":[" + system + "]"));

        assertThat(Sql.row("select user_id from customer_profiles where wa_id = ?", previous))
                .containsEntry("user_id", current);
        Object session = Sql.row("select id from whatsapp_sessions where phone_number = ?", previous).get("id");
        assertThat(messagesIn(session)).as("the system message is kept in the conversation").isEqualTo(2);
    }

    @Test
    void oneDeliveryWithSeveralMessagesLinksAndMergesInItsTransaction() {
        String phone = uniqueSenderPrefix() + "9";
        String bsuid = uniqueBsuid();
        post(message(phone, null, null, uniqueWamid(), now() - 30));
        // one delivery, two messages: the phone withheld (a customer of its own), then both (the merge)
        String withheld = "{\"from\":\"\",\"from_user_id\":\"" + bsuid + "\",\"id\":\"" + uniqueWamid()
                + "\",\"timestamp\":\"" + (now() - 20) + "\",\"type\":\"text\",\"text\":{\"body\":\"a\"}}";
        String both = "{\"from\":\"" + phone + "\",\"from_user_id\":\"" + bsuid + "\",\"id\":\"" + uniqueWamid()
                + "\",\"timestamp\":\"" + (now() - 10) + "\",\"type\":\"text\",\"text\":{\"body\":\"b\"}}";
        byte[] body = envelope("messages", "\"contacts\":[{\"profile\":{\"name\":\"Ada\"},\"wa_id\":\"\",\"user_id\":\""
                + bsuid + "\"},{\"profile\":{\"name\":\"Ada\"},\"wa_id\":\"" + phone + "\",\"user_id\":\"" + bsuid
                + "\"}],\"messages\":[" + withheld + "," + both + "]");
        post(body);
        post(body);

        List<Map<String, Object>> customers = customers(phone, bsuid);
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0)).containsEntry("wa_id", phone).containsEntry("user_id", bsuid);
        List<Map<String, Object>> sessions = sessions(phone, bsuid);
        assertThat(sessions).extracting(s -> s.get("phone_number")).containsExactly(phone);
        assertThat(messagesIn(sessions.get(0).get("id"))).isEqualTo(3);
    }

    @Test
    void anErasedCustomersLaterMessageWithThePhoneWithheldIsNotStoredAgain() {
        String phone = uniqueSenderPrefix() + "0";
        String bsuid = uniqueBsuid();
        post(message(phone, bsuid, null, uniqueWamid(), now() - 30));
        Object customer = Sql.row("select id from customer_profiles where user_id = ?", bsuid).get("id");
        io.restassured.RestAssured.given().header("Authorization", io.wagateway.support.Conversations.admin())
                .delete("/api/v1/customers/" + customer).then().statusCode(204);

        post(message(null, bsuid, null, uniqueWamid(), now() - 60));
        assertThat(customers(phone, bsuid)).isEmpty();
        assertThat(sessions(phone, bsuid)).isEmpty();
    }

    @Test
    void aStatusNamingThePhoneAndTheBsuidLinksThem() {
        String phone = uniqueSenderPrefix() + "1";
        String bsuid = uniqueBsuid();
        String wamid = uniqueWamid();
        post(message(phone, null, null, uniqueWamid(), now() - 30));
        Object session = Sql.row("select id from whatsapp_sessions where phone_number = ?", phone).get("id");
        Sql.update("insert into whatsapp_messages (id, session_id, message_id, direction, content, message_type, "
                + "status, status_rank) values (?, ?, ?, 'OUTBOUND', 'hi', 'text', 'accepted', 1)", UUID.randomUUID(),
                session, wamid);
        String status = """
                {"id":"%s","status":"sent","timestamp":"%d","recipient_id":"%s","recipient_user_id":"%s"}"""
                .formatted(wamid, now() - 20, phone, bsuid);
        post(envelope("messages", "\"statuses\":[" + status + "]"));
        assertThat(Sql.row("select status from whatsapp_messages where message_id = ?", wamid))
                .containsEntry("status", "sent");
        assertThat(customers(phone, bsuid)).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("wa_id", phone).containsEntry("user_id", bsuid));

        // the phone withheld later: the same customer and session
        post(message(null, bsuid, null, uniqueWamid(), now()));
        assertThat(customers(phone, bsuid)).hasSize(1);
        assertThat(messagesIn(session)).isEqualTo(3);
    }

    /**
     * A {@code calls} change as Meta sends it with BSUIDs: the customer named by {@code from_user_id} (a user's
     * call) or {@code to_user_id} / {@code recipient_user_id} (the business's call and its status), the phone
     * empty when withheld, and {@code contacts[]} with {@code user_id} and {@code profile.username}.
     */
    static byte[] call(String phone, String bsuid, String callId, boolean userInitiated, long timestamp) {
        String number = phone == null ? "" : phone;
        String contact = "{\"profile\":{\"name\":\"Ada\",\"username\":\"ada.calls\"},\"wa_id\":\"" + number
                + "\",\"user_id\":\"" + bsuid + "\"}";
        String side = userInitiated ? "\"from\":\"" + number + "\",\"from_user_id\":\"" + bsuid
                + "\",\"to\":\"15557654321\""
                : "\"from\":\"15557654321\",\"to\":\"" + number + "\",\"to_user_id\":\""
                        + bsuid + "\"";
        String calls = "{\"id\":\"" + callId + "\"," + side + ",\"event\":\"connect\",\"timestamp\":\"" + timestamp
                + "\",\"direction\":\"" + (userInitiated ? "USER_INITIATED" : "BUSINESS_INITIATED") + "\"}";
        String statuses = userInitiated ? ""
                : ",\"statuses\":[{\"id\":\"" + callId + "\",\"timestamp\":\""
                        + timestamp + "\",\"type\":\"call\",\"status\":\"RINGING\",\"recipient_id\":\"" + number
                        + "\",\"recipient_user_id\":\"" + bsuid + "\"}]";
        return envelope("calls", "\"contacts\":[" + contact + "],\"calls\":[" + calls + "]" + statuses);
    }

    static List<Map<String, Object>> callsOf(String bsuid) {
        return Sql.rows("select m.message_id, m.direction::text as direction, s.phone_number from whatsapp_messages m "
                + "join whatsapp_sessions s on s.id = m.session_id join customer_profiles c "
                + "on c.id = s.customer_profile_id where c.user_id = ? and m.message_type = 'call' "
                + "order by m.message_id", bsuid);
    }

    @Test
    void callsOfACustomerWhosePhoneIsWithheldJoinTheirTimeline() {
        String bsuid = uniqueBsuid();
        String incoming = "wacid." + UUID.randomUUID();
        byte[] connect = call(null, bsuid, incoming, true, now() - 30);
        post(connect);
        post(connect);
        List<Map<String, Object>> customers = customers("-", bsuid);
        assertThat(customers).singleElement().satisfies(c -> assertThat(c).containsEntry("wa_id", bsuid)
                .containsEntry("user_id", bsuid).containsEntry("username", "ada.calls"));
        assertThat(callsOf(bsuid)).singleElement().satisfies(c -> assertThat(c)
                .containsEntry("message_id", "call:" + incoming + ":connect").containsEntry("direction", "INBOUND")
                .containsEntry("phone_number", bsuid));

        // a message of the same customer, and the business calling them back (call and status named by BSUID)
        post(message(null, bsuid, null, uniqueWamid(), now() - 20));
        String outgoing = "wacid." + UUID.randomUUID();
        post(call(null, bsuid, outgoing, false, now() - 10));
        Object session = sessions("-", bsuid).get(0).get("id");
        assertThat(sessions("-", bsuid)).hasSize(1);
        assertThat(messagesIn(session)).isEqualTo(4);
        assertThat(callsOf(bsuid)).extracting(c -> c.get("message_id") + " " + c.get("direction"))
                .containsExactlyInAnyOrder(
                        "call:" + incoming + ":connect INBOUND", "call:" + outgoing + ":connect OUTBOUND",
                        "call:" + outgoing + ":status:ringing OUTBOUND");
        assertThat(Sql.count("select count(*) from gateway_events where subject = ?::uuid "
                + "and data->>'messageType' = 'call'", session.toString())).isEqualTo(3);

        // once the phone is known, the same customer and session take it, calls and all
        String phone = uniqueSenderPrefix() + "7";
        post(call(phone, bsuid, "wacid." + UUID.randomUUID(), true, now()));
        assertThat(customers(phone, bsuid)).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("wa_id", phone).containsEntry("user_id", bsuid));
        assertThat(sessions(phone, bsuid)).singleElement().satisfies(s -> assertThat(s)
                .containsEntry("id", session).containsEntry("phone_number", phone));
        assertThat(callsOf(bsuid)).hasSize(4);
        assertThat(Sql.count("select count(*) from whatsapp_webhook_events where payload::text like ?",
                "%" + bsuid + "%")).as("nothing kept raw").isZero();
    }
}
