package io.wagateway.templates;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How often the templates of the business accounts are read from the Graph API. */
@ConfigMapping(prefix = "gateway.templates")
public interface TemplatesConfig {

    /** Time between two template syncs (one replica at a time runs one). */
    @WithDefault("1h")
    Duration syncInterval();
}
