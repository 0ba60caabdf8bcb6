package io.wagateway.common;

import java.net.URI;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the HTTP API accepts and how it names its own URLs. */
@ConfigMapping(prefix = "gateway.api")
public interface ApiConfig {

    /**
     * Absolute base URL of the service as clients reach it (e.g. {@code https://wa.example.com}), used for
     * {@code Location} headers; unset: {@code Location} is a relative path. Never taken from the Host header.
     */
    Optional<URI> publicBaseUrl();

    /**
     * Deepest nesting of arrays and objects in any JSON document the service parses (admin bodies, webhook
     * deliveries, Graph API answers); deeper documents are refused with 400 before they are stored.
     */
    @WithDefault("32")
    int jsonMaxDepth();

    /** Largest session contextData, as compact JSON in UTF-8. */
    @WithDefault("64K")
    MemorySize contextDataMaxSize();
}
