package io.wagateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.wagateway.support.Sql;
import io.wagateway.support.SseClient;

/**
 * A replica with {@code gateway.events.dispatch-enabled=false} serves streams only: it numbers nothing and sends
 * nothing, and its streams are woken by another replica's sequencer through the database's notification.
 */
@QuarkusTest
@TestProfile(StreamWithoutDispatchTest.DispatchDisabled.class)
class StreamWithoutDispatchTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    public static class DispatchDisabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.events.dispatch-enabled", "false");
        }
    }

    @Inject
    EventLog log;

    @Inject
    Pool pool;

    @Inject
    Deliveries deliveries;

    @Inject
    ObjectMapper mapper;

    @Test
    void aStreamOnAReplicaThatDoesNotDispatchGetsWhatAnotherReplicaNumbers() throws Exception {
        String phone = EventLogTest.newPhoneNumberId();
        try (SseClient stream = SseClient.open("/api/v1/events/stream", Map.of("phoneNumberId", phone),
                Map.of("Authorization", EventLogTest.admin()))) {
            assertThat(stream.status()).isEqualTo(200);
            EventLogTest.appendCommitted(pool, log, EventType.MESSAGE_RECEIVED, phone, UUID.randomUUID(),
                    Map.of("n", 1));
            // nobody numbers it here: not shown, and this replica neither numbers nor sends
            assertThat(stream.quietFor(Duration.ofSeconds(1))).isTrue();
            assertThat(Sql.count("select count(*) from gateway_events where phone_number_id = ? and id is null",
                    phone)).isEqualTo(1);
            assertThat(Sql.count("select count(*) from gateway_subscription_cursors where dispatcher is not null"))
                    .isZero();

            // another replica's sequencer numbers it and notifies on commit: the stream here goes on
            assertThat(deliveries.sequence().await().atMost(WAIT).events()).isGreaterThanOrEqualTo(1);
            SseClient.Event event = stream.nextEvent(WAIT);
            assertThat(event.type()).isEqualTo(EventType.MESSAGE_RECEIVED);
            assertThat(mapper.readTree(event.data()).path("data").path("n").asInt()).isEqualTo(1);
        }
    }
}
