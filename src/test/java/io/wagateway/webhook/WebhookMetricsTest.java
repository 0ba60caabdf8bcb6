package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wagateway.conversation.StatusOutcome;

/** Label values taken from payloads come from a fixed set: anything else is counted as "other". */
class WebhookMetricsTest {

    static Set<String> tagValues(SimpleMeterRegistry registry, String name, String tag) {
        return registry.find(name).meters().stream().map(Meter::getId).map(id -> id.getTag(tag))
                .collect(Collectors.toSet());
    }

    @Test
    void payloadControlledLabelsAreBounded() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WebhookMetrics metrics = new WebhookMetrics(registry);
        for (int i = 0; i < 50; i++) {
            metrics.messageStored("evil-type-" + i);
            metrics.webhookError(900_000 + i);
            metrics.ignoredField("field_" + i);
            metrics.status("status-" + i, StatusOutcome.values()[0]);
        }
        metrics.messageStored("text");
        metrics.messageStored(null);
        metrics.webhookError(131047);
        metrics.webhookError(null);
        metrics.ignoredField("account_update");
        metrics.status("read", StatusOutcome.values()[0]);

        assertThat(tagValues(registry, "whatsapp.webhook.messages", "type")).containsExactlyInAnyOrder("text", "unknown",
                "other");
        assertThat(tagValues(registry, "whatsapp.webhook.errors", "code")).containsExactlyInAnyOrder("131047", "other");
        assertThat(tagValues(registry, "whatsapp.webhook.ignored.changes", "field"))
                .containsExactlyInAnyOrder("account_update", "other");
        assertThat(tagValues(registry, "whatsapp.webhook.statuses", "status")).containsExactlyInAnyOrder("read", "other");
    }
}
