package io.wagateway.webhook;

import static io.wagateway.webhook.BsuidWebhookTest.customers;
import static io.wagateway.webhook.BsuidWebhookTest.message;
import static io.wagateway.webhook.BsuidWebhookTest.messagesIn;
import static io.wagateway.webhook.BsuidWebhookTest.now;
import static io.wagateway.webhook.BsuidWebhookTest.sessions;
import static io.wagateway.webhook.BsuidWebhookTest.uniqueBsuid;
import static io.wagateway.webhook.WebhookResourceTest.uniqueSenderPrefix;
import static io.wagateway.webhook.WebhookResourceTest.uniqueWamid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wagateway.support.Webhooks;

/**
 * BSUID senders on the group-commit path: deliveries that wait together for the one statement slot are written
 * by one resolution statement (customer-identities.sql) and inbound-batch.sql, in one transaction; a delivery of
 * the group that links a phone and a BSUID merges their customers for every message of the group.
 */
@QuarkusTest
@TestProfile(WebhookGroupCommitTest.OneStatementAtATime.class)
class BsuidGroupCommitTest {

    @Test
    void aGroupResolvesLinksAndMergesItsSenders() throws Exception {
        String phone = uniqueSenderPrefix() + "5";
        String bsuid = uniqueBsuid();
        String withheldOnly = uniqueBsuid();
        byte[] byPhone = message(phone, null, null, uniqueWamid(), now() - 60);
        Webhooks.post(byPhone).then().statusCode(200);
        Webhooks.post(message(null, bsuid, null, uniqueWamid(), now() - 50)).then().statusCode(200);

        List<byte[]> bodies = new ArrayList<>();
        bodies.add(message(null, bsuid, "ada", uniqueWamid(), now() - 30));
        bodies.add(message(phone, bsuid, null, uniqueWamid(), now() - 20));
        bodies.add(message(phone, null, null, uniqueWamid(), now() - 10));
        bodies.add(message(null, withheldOnly, null, uniqueWamid(), now() - 10));
        bodies.add(byPhone);
        WebhookGroupCommitTest.Burst burst = WebhookGroupCommitTest.whileTheSlotIsHeld(bodies);

        assertThat(burst.statuses()).containsOnly(200);
        assertThat(burst.batches().statements()).as("the five were one group").isEqualTo(2);
        List<Map<String, Object>> merged = customers(phone, bsuid);
        assertThat(merged).hasSize(1);
        assertThat(merged.get(0)).containsEntry("wa_id", phone).containsEntry("user_id", bsuid)
                .containsEntry("username", "ada");
        List<Map<String, Object>> sessions = sessions(phone, bsuid);
        assertThat(sessions).extracting(s -> s.get("phone_number")).containsExactly(phone);
        assertThat(messagesIn(sessions.get(0).get("id"))).as("two before, three of the group, the copy not")
                .isEqualTo(5);
        assertThat(customers("-", withheldOnly)).singleElement().satisfies(c -> assertThat(c)
                .containsEntry("wa_id", withheldOnly).containsEntry("user_id", withheldOnly));
    }
}
