package io.wagateway.conversation;

import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.wagateway.support.Conversations;
import io.wagateway.support.Sql;

/** Black-box: HTTP in, HTTP and rows out. Runs as-is against the packaged jar (SessionResourceIT). */
@QuarkusTest
class SessionResourceTest {

    /** Follows nextCursor to the end; returns every item id in order. */
    static List<String> pageThrough(String path, int limit, Function<RequestSpecification, RequestSpecification> filters,
            Runnable afterFirstPage) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = filters.apply(given().header("Authorization", admin()).queryParam("limit", limit));
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get(path);
            page.then().statusCode(200);
            List<String> items = page.path("items.id");
            assertThat(items).hasSizeLessThanOrEqualTo(limit);
            ids.addAll(items);
            cursor = page.path("nextCursor");
            if (pages++ == 0 && afterFirstPage != null) {
                afterFirstPage.run();
            }
        } while (cursor != null && pages < 1000);
        return ids;
    }

    @Test
    void pagingThroughSessionsReturnsEachOnceNewestUpdateFirst() {
        // Ties on updated_at are broken by id: several sessions share one timestamp.
        Instant tie = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < 25; i++) {
            Conversations.session(Conversations.newCustomerPhone(), null, null, "IDLE", i % 3 == 0 ? tie
                    : tie.minusSeconds(i));
        }
        List<String> expected = Sql.rows("select cast(id as text) as id from whatsapp_sessions "
                + "order by updated_at desc, id desc").stream().map(r -> (String) r.get("id")).toList();
        List<String> ids = pageThrough("/api/v1/sessions", 7, r -> r, null);
        assertThat(ids).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
    }

    @Test
    void filtersByPhoneNumberStateAndUpdatedSince() {
        String phone = Conversations.newCustomerPhone();
        Instant future = Instant.parse("2099-03-01T10:00:00Z");
        String id = Conversations.session(phone, null, null, "CHECKOUT", future);
        Conversations.session(Conversations.newCustomerPhone(), null, null, "IDLE", future);

        given().header("Authorization", admin()).queryParam("phoneNumber", "+" + phone.substring(0, 2) + " "
                + phone.substring(2)).get("/api/v1/sessions").then().statusCode(200)
                .body("items.id", equalTo(List.of(id))).body("items[0].phoneNumber", equalTo(phone));
        given().header("Authorization", admin()).queryParam("state", "CHECKOUT")
                .queryParam("updatedSince", "2099-03-01T09:59:59Z").get("/api/v1/sessions").then().statusCode(200)
                .body("items.id", equalTo(List.of(id)));
        given().header("Authorization", admin()).queryParam("updatedSince", "2099-03-01T10:00:00.000001Z")
                .get("/api/v1/sessions").then().statusCode(200).body("items.size()", equalTo(0))
                .body("nextCursor", nullValue());
        given().header("Authorization", admin()).queryParam("state", "SHOPPING").get("/api/v1/sessions")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("state"));
        given().header("Authorization", admin()).queryParam("updatedSince", "yesterday").get("/api/v1/sessions")
                .then().statusCode(400).body("errors.field", hasItem("updatedSince"));
        given().header("Authorization", admin()).queryParam("limit", 0).get("/api/v1/sessions").then().statusCode(400);
        given().header("Authorization", admin()).queryParam("cursor", "nope").get("/api/v1/sessions")
                .then().statusCode(400);
    }

    @Test
    void getShowsProfileWindowAndLastMessage() {
        String phone = Conversations.newCustomerPhone();
        String profile = UUID.randomUUID().toString();
        Sql.update("insert into customer_profiles (id, wa_id, display_name, updated_at) values (?::uuid, ?, 'Ada', now())",
                profile, phone);
        Instant lastInbound = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        String open = Conversations.session(phone, "123", lastInbound);
        Sql.update("update whatsapp_sessions set customer_profile_id = ?::uuid where id = ?::uuid", profile, open);
        Conversations.inbound(open, "wamid.old-" + UUID.randomUUID(), "123", lastInbound.minusSeconds(60));
        String latest = "wamid.latest-" + UUID.randomUUID();
        Conversations.inbound(open, latest, "123", lastInbound);

        Response got = given().header("Authorization", admin()).get("/api/v1/sessions/" + open);
        got.then().statusCode(200)
                .body("id", equalTo(open))
                .body("phoneNumber", equalTo(phone))
                .body("state", equalTo("IDLE"))
                .body("contextData", nullValue())
                .body("customerProfile.id", equalTo(profile))
                .body("customerProfile.waId", equalTo(phone))
                .body("customerProfile.displayName", equalTo("Ada"))
                .body("windowOpen", equalTo(true))
                .body("lastMessage.messageId", equalTo(latest))
                .body("lastMessage.direction", equalTo("INBOUND"))
                .body("lastMessageAt", notNullValue())
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue());
        assertThat(Instant.parse(got.path("windowExpiresAt"))).isEqualTo(lastInbound.plus(Duration.ofHours(24)));
        // The list shows the same latest message.
        given().header("Authorization", admin()).queryParam("phoneNumber", phone).get("/api/v1/sessions").then()
                .body("items[0].lastMessage.messageId", equalTo(latest));

        Instant old = Instant.now().minus(Duration.ofHours(25)).truncatedTo(ChronoUnit.SECONDS);
        String closed = Conversations.session(Conversations.newCustomerPhone(), null, old);
        Response closedGot = given().header("Authorization", admin()).get("/api/v1/sessions/" + closed);
        closedGot.then().statusCode(200).body("windowOpen", equalTo(false)).body("customerProfile", nullValue())
                .body("lastMessage", nullValue());
        assertThat(Instant.parse(closedGot.path("windowExpiresAt"))).isEqualTo(old.plus(Duration.ofHours(24)));

        String never = Conversations.session(Conversations.newCustomerPhone(), null, null);
        given().header("Authorization", admin()).get("/api/v1/sessions/" + never).then().statusCode(200)
                .body("windowOpen", equalTo(false)).body("windowExpiresAt", nullValue());

        given().header("Authorization", admin()).get("/api/v1/sessions/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void patchChangesStateAndContextDataAndTouchesUpdatedAt() {
        Instant before = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MICROS);
        String id = Conversations.session(Conversations.newCustomerPhone(), null, null, "IDLE", before);

        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("state", "VIEWING_CART", "contextData", Map.of("cartId", "c-42", "items", 3)))
                .patch("/api/v1/sessions/" + id).then().statusCode(200)
                .body("state", equalTo("VIEWING_CART"))
                .body("contextData.cartId", equalTo("c-42"))
                .body("contextData.items", equalTo(3));
        Map<String, Object> row = Sql.row("select state::text as state, context_data::text as ctx, updated_at "
                + "from whatsapp_sessions where id = ?::uuid", id);
        assertThat(row.get("state")).isEqualTo("VIEWING_CART");
        assertThat((String) row.get("ctx")).contains("\"cartId\": \"c-42\"");
        Instant touched = ((java.sql.Timestamp) row.get("updated_at")).toInstant();
        assertThat(touched).isAfter(before);

        // Only contextData: state stays. Empty object is a valid object.
        given().header("Authorization", admin()).contentType(ContentType.JSON).body("{\"contextData\": {}}")
                .patch("/api/v1/sessions/" + id).then().statusCode(200)
                .body("state", equalTo("VIEWING_CART")).body("contextData", equalTo(Map.of()));
        // null clears it.
        given().header("Authorization", admin()).contentType(ContentType.JSON).body("{\"contextData\": null}")
                .patch("/api/v1/sessions/" + id).then().statusCode(200).body("contextData", nullValue());
        assertThat(Sql.row("select context_data from whatsapp_sessions where id = ?::uuid", id).get("context_data"))
                .isNull();

        given().header("Authorization", admin()).contentType(ContentType.JSON).body(Map.of("state", "DANCING"))
                .patch("/api/v1/sessions/" + id).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("state")).body("detail", containsString("HUMAN_HANDOFF"));
        given().header("Authorization", admin()).contentType(ContentType.JSON).body("{\"contextData\": [1, 2]}")
                .patch("/api/v1/sessions/" + id).then().statusCode(400).contentType("application/problem+json");
        assertThat(Sql.row("select state::text as s from whatsapp_sessions where id = ?::uuid", id).get("s"))
                .isEqualTo("VIEWING_CART");
        given().header("Authorization", admin()).contentType(ContentType.JSON).body(Map.of("state", "IDLE"))
                .patch("/api/v1/sessions/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void deleteCascadesToMessages() {
        String id = Conversations.session(Conversations.newCustomerPhone(), null, Instant.now());
        for (int i = 0; i < 3; i++) {
            Conversations.inbound(id, "wamid.del-" + UUID.randomUUID(), "1", Instant.now());
        }
        assertThat(Sql.count("select count(*) from whatsapp_messages where session_id = ?::uuid", id)).isEqualTo(3);
        given().header("Authorization", admin()).delete("/api/v1/sessions/" + id).then().statusCode(204);
        assertThat(Sql.count("select count(*) from whatsapp_sessions where id = ?::uuid", id)).isZero();
        assertThat(Sql.count("select count(*) from whatsapp_messages where session_id = ?::uuid", id)).isZero();
        given().header("Authorization", admin()).delete("/api/v1/sessions/" + id).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void pagingThrough250MessagesReturnsEachOnceNewestFirstEvenWithConcurrentInserts() {
        String id = Conversations.session(Conversations.newCustomerPhone(), null, Instant.now());
        // Three messages per timestamp, so the id tie-break matters; directions alternate.
        Sql.update("""
                insert into whatsapp_messages (session_id, message_id, direction, content, message_type, created_at)
                select ?::uuid, 'wamid.page-' || ? || '-' || i,
                       case when i % 2 = 0 then 'INBOUND' else 'OUTBOUND' end::whatsapp_message_direction,
                       'message ' || i, 'text', timestamptz '2026-01-01 00:00:00+00' + (i / 3) * interval '1 second'
                  from generate_series(1, 250) as i
                """, id, id);
        List<String> expected = Sql.rows("select cast(id as text) as id from whatsapp_messages where session_id = ?::uuid "
                + "order by created_at desc, id desc", id).stream().map(r -> (String) r.get("id")).toList();
        assertThat(expected).hasSize(250);

        // A message arriving while a client pages (newer than everything) neither shifts nor repeats rows.
        List<String> ids = pageThrough("/api/v1/sessions/" + id + "/messages", 40, r -> r,
                () -> Conversations.inbound(id, "wamid.concurrent-" + UUID.randomUUID(), "1", Instant.now()));
        assertThat(ids).doesNotHaveDuplicates().hasSize(250).containsExactlyElementsOf(expected);

        Set<String> inbound = new HashSet<>(pageThrough("/api/v1/sessions/" + id + "/messages", 50,
                r -> r.queryParam("direction", "INBOUND"), null));
        assertThat(inbound).hasSize((int) Sql.count("select count(*) from whatsapp_messages where session_id = ?::uuid "
                + "and direction = 'INBOUND'", id));

        given().header("Authorization", admin()).queryParam("limit", 1).get("/api/v1/sessions/" + id + "/messages")
                .then().statusCode(200)
                .body("items[0].messageId", containsString("wamid.concurrent-"))
                .body("items[0].sessionId", equalTo(id))
                .body("items[0].direction", equalTo("INBOUND"))
                .body("items[0].messageType", equalTo("text"))
                .body("items[0].content", equalTo("hello"))
                .body("items[0].status", nullValue())
                .body("items[0].metadata.type", equalTo("text"))
                .body("items[0].createdAt", notNullValue())
                .body("nextCursor", notNullValue());
        given().header("Authorization", admin()).queryParam("direction", "SIDEWAYS")
                .get("/api/v1/sessions/" + id + "/messages").then().statusCode(400);
        given().header("Authorization", admin()).get("/api/v1/sessions/" + UUID.randomUUID() + "/messages")
                .then().statusCode(404);
    }

    @Test
    void everyEndpointNeedsTheAdminKey() {
        String id = UUID.randomUUID().toString();
        given().get("/api/v1/sessions").then().statusCode(401).contentType("application/problem+json");
        given().get("/api/v1/sessions/" + id).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("state", "IDLE")).patch("/api/v1/sessions/" + id)
                .then().statusCode(401);
        given().delete("/api/v1/sessions/" + id).then().statusCode(401);
        given().get("/api/v1/sessions/" + id + "/messages").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").get("/api/v1/sessions").then().statusCode(401);
    }
}
