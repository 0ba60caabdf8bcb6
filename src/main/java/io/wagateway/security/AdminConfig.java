package io.wagateway.security;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Admin API authentication. */
@ConfigMapping(prefix = "gateway.admin")
public interface AdminConfig {

    /**
     * Bearer keys accepted by the admin API, comma separated (several at once allow rotation).
     * None configured: the admin API refuses every request.
     */
    Optional<List<String>> apiKeys();
}
