package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wagateway.webhook.DeliveryRouter.Routed;
import io.wagateway.webhook.WebhookSecrets.Signer;
import io.wagateway.webhook.payload.Delivery;
import io.wagateway.webhook.payload.DeliveryParser;
import io.wagateway.webhook.payload.InboundMessage;

/** Which items of a delivery its signer may store (no database: routing needs only the signer). */
class DeliveryRouterTest {

    private final DeliveryRouter router = new DeliveryRouter(null);

    private static Delivery delivery() throws Exception {
        return DeliveryParser.parse(new ObjectMapper().readTree("""
                {"object":"whatsapp_business_account","entry":[
                 {"id":"WA","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"A1"},
                   "messages":[{"from":"1","id":"w1","type":"text","text":{"body":"x"}}],
                   "statuses":[{"id":"s1","status":"sent","timestamp":"1768466405"}]}}]},
                 {"id":"WB","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"B1"},
                   "messages":[{"from":"2","id":"w2","type":"text","text":{"body":"y"}}]}}]},
                 {"id":"WC","changes":[{"field":"messages","value":{"metadata":{},
                   "messages":[{"from":"3","id":"w3","type":"text","text":{"body":"z"}}]}}]}]}"""));
    }

    @Test
    void aConfiguredSecretStoresEveryItemWithANumberAndTheSameListsAreKept() throws Exception {
        Delivery delivery = delivery();
        Routed routed = router.route(delivery.withItems(delivery.messages().subList(0, 2), delivery.statuses()),
                Signer.ANY);
        assertThat(routed.delivery().messages()).extracting(InboundMessage::id).containsExactly("w1", "w2");
        assertThat(routed.delivery().statuses()).hasSize(1);
        assertThat(routed.unroutable()).isZero();
        assertThat(routed.foreign()).isZero();
    }

    @Test
    void itemsWithoutANumberOrForAnotherBusinessAreSetAsideAndCounted() throws Exception {
        Signer a = new Signer(false, Set.of("A1"), Set.of("WA"), Map.of("A1", "WA", "B1", "WB"));
        Routed routed = router.route(delivery(), a);
        assertThat(routed.delivery().messages()).extracting(InboundMessage::id).containsExactly("w1");
        assertThat(routed.delivery().statuses()).hasSize(1);
        assertThat(routed.unroutable()).isEqualTo(1);
        assertThat(routed.foreign()).isEqualTo(1);
    }

    @Test
    void aDeliveryWithNothingToStoreNeedsNoSettings() throws Exception {
        Delivery delivery = delivery();
        // no snapshot is read (the router has no secrets here): nothing can be unrouted
        assertThat(router.unrouted(delivery.withItems(java.util.List.of(), java.util.List.of())).await().indefinitely())
                .isZero();
    }
}
