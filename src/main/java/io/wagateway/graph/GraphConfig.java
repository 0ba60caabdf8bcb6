package io.wagateway.graph;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the Graph API lives. The REST client's URL ({@code quarkus.rest-client.graph-api.url}) follows base-url. */
@ConfigMapping(prefix = "gateway.graph")
public interface GraphConfig {

    /** Graph API base URL (env GATEWAY_GRAPH_BASE_URL); tests point it at WireMock. */
    @WithDefault("https://graph.facebook.com")
    String baseUrl();

    /** Graph API version path segment (env GATEWAY_GRAPH_API_VERSION). */
    @WithDefault("v25.0")
    String apiVersion();

    /**
     * Heap, in bytes, for sends that Meta accepted but whose row could not be stored yet (conversation/SendRepair
     * retries them in the background); beyond it such a row is only logged. Env GATEWAY_GRAPH_SEND_REPAIR_MAX_BYTES.
     */
    @WithDefault("8388608")
    long sendRepairMaxBytes();

    /** How long such a row is retried before it is given up (logged at ERROR). Env GATEWAY_GRAPH_SEND_REPAIR_FOR. */
    @WithDefault("1h")
    Duration sendRepairFor();
}
