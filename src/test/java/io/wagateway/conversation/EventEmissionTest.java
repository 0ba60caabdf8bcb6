package io.wagateway.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.wagateway.support.Conversations.admin;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.wagateway.events.EventType;
import io.wagateway.support.Conversations;
import io.wagateway.support.GraphApiMock;
import io.wagateway.support.Sql;

/**
 * Every write of the conversation writer appends its event in the same statement: the right type, the session as
 * subject, and data in the shape the admin API shows the row (plus sessionId, phoneNumber, phoneNumberId). A write
 * that stores nothing (a redelivery, a stale status) appends nothing; a write that rolls back leaves no event.
 */
@QuarkusTest
class EventEmissionTest {

    private static final Set<String> ADDED = Set.of("sessionId", "phoneNumber", "phoneNumberId");

    @Inject
    ConversationWrites writes;
    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    WireMock graph;

    @BeforeEach
    void resetGraph() {
        graph = GraphApiMock.resetClient();
    }

    record Event(String type, String subject, JsonNode data) {
    }

    List<Event> events(String phoneNumberId) {
        List<Event> out = new ArrayList<>();
        for (Map<String, Object> row : Sql.rows("select type, subject::text as subject, data::text as data "
                + "from gateway_events where phone_number_id = ? order by seq", phoneNumberId)) {
            out.add(new Event((String) row.get("type"), (String) row.get("subject"), json((String) row.get("data"))));
        }
        return out;
    }

    JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event's data without what it adds to the admin API's shape, after checking what it adds. */
    ObjectNode asShown(Event event, String sessionId, String phone, String number) {
        ObjectNode data = event.data().deepCopy();
        assertThat(data.path("sessionId").asText()).isEqualTo(sessionId);
        assertThat(data.path("phoneNumber").asText()).isEqualTo(phone);
        assertThat(data.path("phoneNumberId").asText()).isEqualTo(number);
        return data;
    }

    JsonNode apiMessage(String sessionId, String wamid) {
        String body = given().header("Authorization", admin()).queryParam("limit", 200)
                .get("/api/v1/sessions/" + sessionId + "/messages").then().statusCode(200).extract().asString();
        for (JsonNode item : json(body).path("items")) {
            if (item.path("messageId").asText().equals(wamid)) {
                return item;
            }
        }
        throw new AssertionError("no message " + wamid + " in " + body);
    }

    JsonNode apiSession(String sessionId) {
        return json(given().header("Authorization", admin()).get("/api/v1/sessions/" + sessionId).then()
                .statusCode(200).extract().asString());
    }

    static ObjectNode without(JsonNode node, Set<String> fields) {
        ObjectNode copy = node.deepCopy();
        copy.remove(fields);
        return copy;
    }

    void stubSend(String number, String phone, String wamid) {
        graph.register(post(urlEqualTo("/v25.0/" + number + "/messages"))
                .withRequestBody(WireMock.matchingJsonPath("$.type"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"messaging_product":"whatsapp","contacts":[{"input":"%s","wa_id":"%s"}],
                         "messages":[{"id":"%s"}]}""".formatted(phone, phone, wamid))));
    }

    static void text(String number, String customer, String name, String wamid) {
        ConversationFlowTest.deliver(number, """
                "contacts":[{"profile":{"name":"%s"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"Where is my order?"}}]"""
                .formatted(name, customer, customer, wamid, Instant.now().getEpochSecond())).then().statusCode(200);
    }

    @Test
    void everyWriteAppendsItsEventAsTheAdminApiShowsTheRow() {
        String number = Conversations.activeBusinessNumber();
        String customer = Conversations.newCustomerPhone();
        String inbound = "wamid.in-" + UUID.randomUUID();

        // A new customer's first message: the customer, then the message.
        text(number, customer, "Grace", inbound);
        String sessionId = ConversationFlowTest.sessionId(customer);
        List<Event> events = events(number);
        assertThat(events).extracting(Event::type).containsExactly(EventType.CUSTOMER_UPDATED,
                EventType.MESSAGE_RECEIVED);
        assertThat(events).extracting(Event::subject).containsOnly(sessionId);
        JsonNode session = apiSession(sessionId);
        assertThat(without(asShown(events.get(0), sessionId, customer, number), ADDED))
                .isEqualTo(session.path("customerProfile"));
        assertThat(without(asShown(events.get(1), sessionId, customer, number), Set.of("phoneNumber", "phoneNumberId")))
                .isEqualTo(apiMessage(sessionId, inbound));

        // Meta's retry of it appends nothing; a second message of a known customer only its message.
        text(number, customer, "Grace", inbound);
        assertThat(events(number)).hasSize(2);
        String second = "wamid.in-" + UUID.randomUUID();
        text(number, customer, "Grace", second);
        assertThat(events(number)).extracting(Event::type).endsWith(EventType.MESSAGE_RECEIVED).hasSize(3);
        // A new display name is a customer change.
        text(number, customer, "Grace H.", "wamid.in-" + UUID.randomUUID());
        events = events(number);
        assertThat(events).extracting(Event::type).endsWith(EventType.CUSTOMER_UPDATED, EventType.MESSAGE_RECEIVED);
        assertThat(events.get(3).data().path("displayName").asText()).isEqualTo("Grace H.");

        // A reply: sent; then a status moves it (an event), a late lower one does not.
        String reply = "wamid.out-" + UUID.randomUUID();
        stubSend(number, customer, reply);
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("to", customer, "type", "text", "text", Map.of("body", "It ships today")))
                .post("/api/v1/messages").then().statusCode(201);
        Event sent = last(number);
        assertThat(sent.type()).isEqualTo(EventType.MESSAGE_SENT);
        assertThat(sent.subject()).isEqualTo(sessionId);
        assertThat(sent.data().path("status").asText()).isEqualTo("accepted");
        assertThat(without(asShown(sent, sessionId, customer, number), Set.of("phoneNumber", "phoneNumberId")))
                .isEqualTo(apiMessage(sessionId, reply));

        ConversationFlowTest.status(number, reply, "delivered", customer);
        Event delivered = last(number);
        assertThat(delivered.type()).isEqualTo(EventType.MESSAGE_STATUS);
        assertThat(without(asShown(delivered, sessionId, customer, number), Set.of("phoneNumber", "phoneNumberId")))
                .isEqualTo(apiMessage(sessionId, reply));
        assertThat(delivered.data().path("status").asText()).isEqualTo("delivered");
        int before = events(number).size();
        ConversationFlowTest.status(number, reply, "sent", customer);
        assertThat(events(number)).hasSize(before);

        // A status that beats the send is applied with the stored reply: sent, then its status.
        String raced = "wamid.raced-" + UUID.randomUUID();
        ConversationFlowTest.status(number, raced, "read", customer);
        assertThat(events(number)).hasSize(before);
        graph.resetMappings();
        stubSend(number, customer, raced);
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("to", customer, "type", "text", "text", Map.of("body", "Tracking: 1Z999")))
                .post("/api/v1/messages").then().statusCode(201);
        events = events(number);
        assertThat(events.subList(before, events.size())).extracting(Event::type)
                .containsExactly(EventType.MESSAGE_SENT, EventType.MESSAGE_STATUS);
        assertThat(events.get(events.size() - 1).data().path("status").asText()).isEqualTo("read");

        // Our read receipt for the customer's message.
        graph.register(post(urlEqualTo("/v25.0/" + number + "/messages"))
                .withRequestBody(WireMock.matchingJsonPath("$.status"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"success\": true}")));
        given().header("Authorization", admin()).post("/api/v1/messages/" + inbound + "/read").then().statusCode(200);
        Event read = last(number);
        assertThat(read.type()).isEqualTo(EventType.MESSAGE_STATUS);
        assertThat(read.data().path("messageId").asText()).isEqualTo(inbound);
        assertThat(without(asShown(read, sessionId, customer, number), Set.of("phoneNumber", "phoneNumberId")))
                .isEqualTo(apiMessage(sessionId, inbound));

        // The host application's change of the session.
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body(Map.of("state", "BROWSING_CATEGORIES", "contextData", Map.of("cartId", "c-42")))
                .patch("/api/v1/sessions/" + sessionId).then().statusCode(200);
        Event updated = last(number);
        assertThat(updated.type()).isEqualTo(EventType.SESSION_UPDATED);
        assertThat(updated.subject()).isEqualTo(sessionId);
        assertThat(without(asShown(updated, sessionId, customer, number), Set.of("sessionId", "phoneNumberId")))
                .isEqualTo(apiSession(sessionId));

        // Its deletion: ids and numbers only.
        given().header("Authorization", admin()).delete("/api/v1/sessions/" + sessionId).then().statusCode(204);
        Event deleted = last(number);
        assertThat(deleted.type()).isEqualTo(EventType.SESSION_DELETED);
        assertThat(deleted.subject()).isEqualTo(sessionId);
        assertThat(without(asShown(deleted, sessionId, customer, number), ADDED).fieldNames())
                .toIterable().containsExactlyInAnyOrder("id", "deletedAt");
    }

    Event last(String number) {
        List<Event> events = events(number);
        assertThat(events).isNotEmpty();
        return events.get(events.size() - 1);
    }

    @Test
    void aWriteThatRollsBackLeavesNoEvent() {
        String number = Conversations.newPhoneNumberId();
        String customer = Conversations.newCustomerPhone();
        InboundRow row = new InboundRow(customer, "Ada", customer, number, Instant.now(),
                "wamid.rolled-back-" + UUID.randomUUID(), "hello", "text", "{\"type\":\"text\"}");
        Throwable failure = pool.withTransaction(tx -> writes.insertInbound(tx, row)
                .chain(stored -> {
                    assertThat(stored).isTrue();
                    assertThat(Sql.count("select count(*) from gateway_events where phone_number_id = ?", number))
                            .as("not visible before commit").isZero();
                    return io.smallrye.mutiny.Uni.createFrom().failure(new IllegalStateException("abort"));
                })).onItemOrFailure().transform((ok, error) -> error).await().indefinitely();
        assertThat(failure).hasMessage("abort");
        assertThat(events(number)).isEmpty();
        assertThat(Sql.count("select count(*) from whatsapp_messages where phone_number_id = ?", number)).isZero();
    }

    @Test
    void concurrentDeliveriesAppendOneEventPerStoredMessage() throws Exception {
        String number = Conversations.activeBusinessNumber();
        List<String> customers = List.of(Conversations.newCustomerPhone(), Conversations.newCustomerPhone(),
                Conversations.newCustomerPhone());
        Map<String, String> customerOf = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            customerOf.put("wamid.conc-" + i + "-" + UUID.randomUUID(), customers.get(i % customers.size()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            // every message twice, concurrently: Meta's duplicates racing the first copy
            for (int copy = 0; copy < 2; copy++) {
                customerOf.forEach((wamid, customer) -> all.add(CompletableFuture
                        .runAsync(() -> text(number, customer, "Cust " + customer, wamid), pool)));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
        }
        List<Event> events = events(number);
        Map<String, Long> received = events.stream().filter(e -> e.type().equals(EventType.MESSAGE_RECEIVED))
                .collect(Collectors.groupingBy(e -> e.data().path("messageId").asText(), Collectors.counting()));
        assertThat(received).hasSize(customerOf.size()).containsOnlyKeys(customerOf.keySet());
        assertThat(received.values()).containsOnly(1L);
        for (Event event : events) {
            if (event.type().equals(EventType.MESSAGE_RECEIVED)) {
                String wamid = event.data().path("messageId").asText();
                assertThat(event.data().path("phoneNumber").asText()).isEqualTo(customerOf.get(wamid));
                assertThat(event.subject()).isEqualTo(event.data().path("sessionId").asText());
            }
        }
        // each new customer is announced before their first message
        for (String customer : customers) {
            List<String> types = events.stream().filter(e -> e.data().path("phoneNumber").asText().equals(customer))
                    .map(Event::type).toList();
            assertThat(types.get(0)).isEqualTo(EventType.CUSTOMER_UPDATED);
        }
    }
}
