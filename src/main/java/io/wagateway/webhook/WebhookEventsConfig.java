package io.wagateway.webhook;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The raw webhook changes kept for the fields the gateway stores nowhere else ({@code GET /api/v1/webhook-events}). */
@ConfigMapping(prefix = "gateway.webhook-events")
public interface WebhookEventsConfig {

    /** How long a raw webhook change is kept (hourly, bounded batch deletes, oldest first). */
    @WithDefault("30d")
    Duration retention();
}
