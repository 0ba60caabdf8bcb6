package io.wagateway.webhook;

import static io.wagateway.webhook.WebhookResourceTest.outbound;
import static io.wagateway.webhook.WebhookResourceTest.rowsFor;
import static io.wagateway.webhook.WebhookResourceTest.uniquePhone;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wagateway.support.Metrics;
import io.wagateway.support.Poison;
import io.wagateway.support.Sql;
import io.wagateway.support.Webhooks;

/**
 * Deliveries Meta would retry for days if they were answered 503: items that cannot be routed, timestamps no
 * column can hold, keys past PostgreSQL's index limit, and data PostgreSQL refuses. Each is acknowledged, the
 * rest of its delivery is stored, and what PostgreSQL refused is kept as a dead letter.
 */
@QuarkusTest
class WebhookUnfixableDeliveriesTest {

    static String change(String phoneNumberIdJson, String contactsJson, String messagesJson, String statusesJson) {
        return """
                {"field":"messages","value":{"messaging_product":"whatsapp"%s,"contacts":[%s],"messages":[%s],
                "statuses":[%s]}}""".formatted(phoneNumberIdJson == null ? ""
                : ",\"metadata\":{\"display_phone_number\":\"15557654321\",\"phone_number_id\":" + phoneNumberIdJson
                        + "}",
                contactsJson, messagesJson, statusesJson);
    }

    static String routed() {
        return "\"" + Webhooks.PHONE_NUMBER_ID + "\"";
    }

    static String contact(String waId) {
        return "{\"profile\":{\"name\":\"N\"},\"wa_id\":\"" + waId + "\"}";
    }

    static byte[] delivery(String... changes) {
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"204567891234567\",\"changes\":["
                + String.join(",", changes) + "]}]}").getBytes(StandardCharsets.UTF_8);
    }

    static String message(String from, String wamid, String timestampJson, String body) {
        return """
                {"from":"%s","id":"%s","timestamp":%s,"type":"text","text":{"body":"%s"}}"""
                .formatted(from, wamid, timestampJson, body);
    }

    /** Random CJK characters: three UTF-8 bytes each, and they do not compress. */
    static String cjk(String prefix, int chars) {
        Random random = new Random(chars);
        StringBuilder s = new StringBuilder(prefix);
        while (s.length() < chars) {
            s.append((char) (0x4E00 + random.nextInt(0x9FFF - 0x4E00)));
        }
        return s.toString();
    }

    /** A counter's value; {@code label} is one {@code name="value"} pair it must carry, or "" for any. */
    static double counter(String name, String label) {
        return Metrics.value(name, label);
    }

    static double items(String outcome) {
        return counter("whatsapp_webhook_items_total", "outcome=\"" + outcome + "\"");
    }

    static double epochSeconds(String sql, Object... params) {
        return ((Number) Sql.row(sql, params).values().iterator().next()).doubleValue();
    }

    // --- routing ---------------------------------------------------------------------------------------

    @Test
    void aChangeWithoutPhoneNumberIdIsAcknowledgedAndTheOthersStored() {
        String from = uniquePhone();
        String lost = uniqueWamid();
        String kept = uniqueWamid();
        String statusWamid = uniqueWamid();
        outbound(statusWamid, uniquePhone());
        double before = items("unroutable");
        byte[] body = delivery(
                change(null, contact(from), message(from, lost, "\"1768466400\"", "no metadata"),
                        Webhooks.status(statusWamid, "failed", 1768466400)),
                change("null", contact(from), message(from, uniqueWamid(), "\"1768466400\"", "null number"), ""),
                change(routed(), contact(from), message(from, kept, "\"1768466401\"", "routed"), ""));
        Webhooks.post(body).then().statusCode(200).body("stored", equalTo(1));
        assertThat(rowsFor(lost)).isZero();
        assertThat(rowsFor(kept)).isEqualTo(1);
        assertThat(Sql.row("select status from whatsapp_messages where message_id = ?", statusWamid).get("status"))
                .isEqualTo("accepted");
        assertThat(items("unroutable") - before).isEqualTo(3);
        // Alone, too (the lone path).
        Webhooks.post(delivery(change(null, contact(from), message(from, uniqueWamid(), "\"1768466402\"", "x"), "")))
                .then().statusCode(200).body("stored", equalTo(0));
    }

    // --- timestamps ------------------------------------------------------------------------------------

    @Test
    void timestampsNoColumnCanHoldOrOutsideThePlausibleRangeBecomeTheArrivalTime() {
        double before = counter("whatsapp_webhook_timestamps_replaced_total", "");
        String future = "\"" + Instant.now().plus(Duration.ofDays(30)).getEpochSecond() + "\"";
        List<String> odd = List.of("1e400", "\"9224318016000\"", "\"10000000000000\"", future, "\"1000\"",
                "-5", "\"-99999999999999999999\"");
        for (String timestamp : odd) {
            String from = uniquePhone();
            String wamid = uniqueWamid();
            Instant sent = Instant.now();
            Webhooks.post(delivery(change(routed(), contact(from), message(from, wamid, timestamp, "t"), "")))
                    .then().statusCode(200).body("stored", equalTo(1));
            Instant answered = Instant.now();
            double stored = epochSeconds("select extract(epoch from wa_timestamp)::float8 from whatsapp_messages "
                    + "where message_id = ?", wamid);
            double window = epochSeconds("select extract(epoch from last_inbound_at)::float8 from whatsapp_sessions "
                    + "where phone_number = ?", from);
            assertThat(stored).as(timestamp).isBetween(sent.getEpochSecond() - 1.0, answered.getEpochSecond() + 1.0);
            assertThat(window).as(timestamp).isEqualTo(stored);
        }
        // In a multi-item delivery, and for a status.
        String from = uniquePhone();
        String statusWamid = uniqueWamid();
        outbound(statusWamid, uniquePhone());
        String a = uniqueWamid();
        String b = uniqueWamid();
        Instant sent = Instant.now();
        Webhooks.post(delivery(change(routed(), contact(from), message(from, a, "1e400", "a") + ","
                + message(from, b, "\"1768466400\"", "b"),
                """
                        {"id":"%s","status":"delivered","timestamp":"10000000000000","recipient_id":"1"}"""
                        .formatted(statusWamid))))
                .then().statusCode(200).body("stored", equalTo(2)).body("statusesApplied", equalTo(1));
        assertThat(epochSeconds("select extract(epoch from wa_timestamp)::float8 from whatsapp_messages where message_id = ?",
                b)).isEqualTo(1768466400.0);
        assertThat(epochSeconds("select extract(epoch from status_at)::float8 from whatsapp_messages where message_id = ?",
                statusWamid)).isBetween(sent.getEpochSecond() - 1.0, Instant.now().getEpochSecond() + 1.0);
        assertThat(counter("whatsapp_webhook_timestamps_replaced_total", "") - before).isEqualTo(odd.size() + 2);
    }

    // --- key lengths -----------------------------------------------------------------------------------

    @Test
    void keysPastTheIndexLimitInBytesAreSkippedAndTheOthersStored() {
        double before = items("invalid");
        String from = uniquePhone();
        String hugeWamid = cjk("wamid.CJK", 1000);
        String hugeSender = cjk("49", 1000);
        String hugeStatusId = cjk("wamid.S", 1000);
        // Alone: the wamid, the sender.
        Webhooks.post(delivery(change(routed(), contact(from), message(from, hugeWamid, "\"1768466400\"", "w"), "")))
                .then().statusCode(200).body("stored", equalTo(0));
        Webhooks.post(delivery(change(routed(), contact(hugeSender), message(hugeSender, uniqueWamid(), "\"1768466400\"",
                "s"), ""))).then().statusCode(200).body("stored", equalTo(0));
        // A status id, alone and beside a message that is stored.
        Webhooks.post(delivery(change(routed(), "", "", Webhooks.status(hugeStatusId, "sent", 1768466400))))
                .then().statusCode(200).body("statusesPending", equalTo(0));
        String kept = uniqueWamid();
        Webhooks.post(delivery(change(routed(), contact(from), message(from, hugeWamid, "\"1768466400\"", "w") + ","
                + message(from, kept, "\"1768466401\"", "kept"), Webhooks.status(hugeStatusId, "sent", 1768466400))))
                .then().statusCode(200).body("stored", equalTo(1));
        assertThat(rowsFor(kept)).isEqualTo(1);
        assertThat(Sql.count("select count(*) from whatsapp_messages where octet_length(message_id) > 1024")).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_pending_statuses where octet_length(message_id) > 1024"))
                .isZero();
        assertThat(items("invalid") - before).isEqualTo(5);
    }

    // --- data PostgreSQL refuses -----------------------------------------------------------------------

    @Test
    void aLoneMessagePostgresRefusesIsKeptAsADeadLetterAndAcknowledged() {
        Poison.install();
        double before = items("dead_letter");
        String from = uniquePhone();
        String wamid = uniqueWamid();
        String content = Poison.content("22023");
        Webhooks.post(Webhooks.inbound(from, "Poisoned", Webhooks.text(from, wamid, 1768466400, content)))
                .then().statusCode(200).body("stored", equalTo(0));
        assertThat(rowsFor(wamid)).isZero();
        Map<String, Object> dead = Sql.row("""
                select kind, wamid, phone_number_id, sqlstate, error, payload::jsonb #>> '{message,text,body}' as body
                from whatsapp_dead_letters where wamid = ?""", wamid);
        assertThat(dead.get("kind")).isEqualTo("message");
        assertThat(dead.get("phone_number_id")).isEqualTo(Webhooks.PHONE_NUMBER_ID);
        assertThat(dead.get("sqlstate")).isEqualTo("22023");
        assertThat((String) dead.get("error")).contains("poisoned row");
        assertThat(dead.get("body")).isEqualTo(content);
        assertThat(items("dead_letter") - before).isEqualTo(1);
        // 54000 too (program limit exceeded, e.g. an index row too large).
        String other = uniqueWamid();
        Webhooks.post(Webhooks.inbound(from, "Poisoned", Webhooks.text(from, other, 1768466401, Poison.content("54000"))))
                .then().statusCode(200);
        assertThat(Sql.row("select sqlstate from whatsapp_dead_letters where wamid = ?", other).get("sqlstate"))
                .isEqualTo("54000");
    }

    @Test
    void aPoisonedItemOfAMultiItemDeliveryIsADeadLetterAndTheOthersAreStored() {
        Poison.install();
        String from = uniquePhone();
        String first = uniqueWamid();
        String poisoned = uniqueWamid();
        String last = uniqueWamid();
        String statusWamid = uniqueWamid();
        String poisonedStatus = Poison.statusWamid("22P02");
        outbound(statusWamid, uniquePhone());
        byte[] body = delivery(change(routed(), contact(from), String.join(",",
                message(from, first, "\"1768466400\"", "first"),
                message(from, poisoned, "\"1768466401\"", Poison.content("22001")),
                message(from, last, "\"1768466402\"", "last")),
                String.join(",",
                        Webhooks.status(poisonedStatus, "delivered", 1768466403),
                        Webhooks.status(statusWamid, "delivered", 1768466404))));
        Webhooks.post(body).then().statusCode(200).body("stored", equalTo(2)).body("statusesApplied", equalTo(1));
        assertThat(rowsFor(first)).isEqualTo(1);
        assertThat(rowsFor(last)).isEqualTo(1);
        assertThat(rowsFor(poisoned)).isZero();
        assertThat(Sql.row("select status from whatsapp_messages where message_id = ?", statusWamid).get("status"))
                .isEqualTo("delivered");
        assertThat(Sql.row("select kind, sqlstate from whatsapp_dead_letters where wamid = ?", poisoned))
                .containsEntry("kind", "message").containsEntry("sqlstate", "22001");
        assertThat(Sql.row("select kind, sqlstate, payload::jsonb ->> 'status' as status from whatsapp_dead_letters "
                + "where wamid = ?", poisonedStatus)).containsEntry("kind", "status").containsEntry("sqlstate", "22P02")
                .containsEntry("status", "delivered");
        // Meta's redelivery: the stored items are duplicates, nothing is written twice.
        Webhooks.post(body).then().statusCode(200).body("stored", equalTo(0)).body("duplicates", equalTo(2));
        assertThat(rowsFor(first)).isEqualTo(1);
    }

    @Test
    void anOutageIsStill503AndNoDeadLetter() {
        Poison.install();
        String from = uniquePhone();
        String wamid = uniqueWamid();
        // 53100 (disk full) is an outage: Meta's retry may succeed once it is fixed.
        Webhooks.post(Webhooks.inbound(from, "Full", Webhooks.text(from, wamid, 1768466400, Poison.content("53100"))))
                .then().statusCode(503);
        String a = uniqueWamid();
        Webhooks.post(delivery(change(routed(), contact(from), message(from, a, "\"1768466401\"", "a") + ","
                + message(from, uniqueWamid(), "\"1768466402\"", Poison.content("57014")), "")))
                .then().statusCode(503);
        assertThat(rowsFor(wamid)).isZero();
        assertThat(rowsFor(a)).as("the delivery's transaction was rolled back whole").isZero();
        assertThat(Sql.count("select count(*) from whatsapp_dead_letters where wamid = ?", wamid)).isZero();
    }
}
