package io.wagateway.conversation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How stored messages follow what the customer does to them later (edits and revokes, issue 14). */
@ConfigMapping(prefix = "gateway.messages")
public interface MessagesConfig {

    /** A revoked message keeps its content (and its raw JSON) instead of the placeholder {@code [message deleted]}. */
    @WithDefault("false")
    boolean keepRevokedContent();
}
