package io.wagateway.retention;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long messages are kept, and how the job that drops the older ones runs. */
@ConfigMapping(prefix = "gateway.retention")
public interface RetentionConfig {

    /** Default age after which a message is dropped; absent: kept forever (a number's override still applies). */
    Optional<Duration> messages();

    /** Time between two runs of the retention job on each replica. */
    @WithDefault("1h")
    Duration interval();

    /** Messages per statement (one short transaction each). */
    @WithDefault("1000")
    int batchSize();
}
