package io.wagateway.webhook;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The import of the chat history of the WhatsApp Business app (coexistence, {@code history} webhooks). */
@ConfigMapping(prefix = "gateway.history")
public interface HistoryConfig {

    /** Messages of a kept history chunk imported per transaction (one bounded batch). */
    @WithDefault("200")
    int importBatch();

    /**
     * How long a replica's claim of a chunk holds without progress: each batch renews it; a chunk whose replica died
     * is taken by another one once it has passed.
     */
    @WithDefault("60s")
    Duration lease();

    /** Time between two looks for chunks to import on each replica (a kept chunk also starts one at once). */
    @WithDefault("10s")
    Duration interval();
}
