package io.wagateway.common;

import jakarta.enterprise.context.ApplicationScoped;

/** URLs the service hands out ({@code Location}): from gateway.api.public-base-url, else relative paths. */
@ApplicationScoped
public class Links {

    private final String base;

    public Links(ApiConfig config) {
        this.base = config.publicBaseUrl().map(uri -> uri.toString().replaceAll("/+$", "")).orElse("");
    }

    /** {@code path} (starting with /) under the public base URL, or {@code path} itself. */
    public String location(String path) {
        return base + path;
    }
}
