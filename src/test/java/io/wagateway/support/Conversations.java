package io.wagateway.support;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.http.ContentType;

/** Seeds business numbers (through the admin API), sessions and messages (through SQL) for tests. */
public final class Conversations {

    public static final String ACCESS_TOKEN = "EAAGm0PX4ZCpsBAKZCz7graph-token-for-tests-Zz9";

    private Conversations() {
    }

    public static String admin() {
        return "Bearer " + PostgresTestResource.ADMIN_KEY;
    }

    public static String newPhoneNumberId() {
        return String.valueOf(100_000_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999_999L));
    }

    /** A customer phone number, digits only, unique enough for one test run. */
    public static String newCustomerPhone() {
        return "49" + (1_000_000_000L + ThreadLocalRandom.current().nextLong(8_999_999_999L));
    }

    /** An active business number with {@link #ACCESS_TOKEN}; returns its phone number id. */
    public static String activeBusinessNumber() {
        String phoneNumberId = newPhoneNumberId();
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("apiKey", "k", "phoneNumberId", phoneNumberId, "businessId", "204567891234567",
                        "accessToken", ACCESS_TOKEN, "webhookToken", "verify-token-for-tests"))
                .post("/api/v1/settings").then().statusCode(201);
        return phoneNumberId;
    }

    public static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A session as the webhook leaves it; lastInboundAt null = the customer never wrote. Returns its id. */
    public static String session(String phone, String phoneNumberId, Instant lastInboundAt, String state,
            Instant updatedAt) {
        String id = UUID.randomUUID().toString();
        Sql.update("""
                insert into whatsapp_sessions (id, phone_number, state, phone_number_id, last_inbound_at,
                                               last_message_at, created_at, updated_at)
                values (?::uuid, ?, ?::whatsapp_session_state, ?, ?, coalesce(?, now()), now(), ?)
                """, id, phone, state, phoneNumberId, ts(lastInboundAt), ts(lastInboundAt),
                ts(updatedAt == null ? Instant.now() : updatedAt));
        return id;
    }

    public static String session(String phone, String phoneNumberId, Instant lastInboundAt) {
        return session(phone, phoneNumberId, lastInboundAt, "IDLE", null);
    }

    /** An inbound message as the webhook stores it. Returns the row id. */
    public static String inbound(String sessionId, String wamid, String phoneNumberId, Instant at) {
        String id = UUID.randomUUID().toString();
        Sql.update("""
                insert into whatsapp_messages (id, session_id, message_id, direction, content, message_type,
                                               metadata, created_at, wa_timestamp, phone_number_id)
                values (?::uuid, ?::uuid, ?, 'INBOUND', 'hello', 'text', '{"type":"text"}'::jsonb, ?, ?, ?)
                """, id, sessionId, wamid, ts(at), ts(at), phoneNumberId);
        return id;
    }
}
