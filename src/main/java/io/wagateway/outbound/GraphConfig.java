package io.wagateway.outbound;

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
}
