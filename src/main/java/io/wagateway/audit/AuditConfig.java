package io.wagateway.audit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long the audit log keeps its rows, and how the job that drops the older ones runs. */
@ConfigMapping(prefix = "gateway.audit")
public interface AuditConfig {

    /** Age after which an audit row is dropped. */
    @WithDefault("365d")
    Duration retention();

    /** Time between two runs of the audit retention job on each replica. */
    @WithDefault("1h")
    Duration retentionInterval();

    /** Rows per delete statement (one short transaction each). */
    @WithDefault("1000")
    int retentionBatchSize();
}
