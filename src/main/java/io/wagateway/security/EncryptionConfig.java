package io.wagateway.security;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Encryption of stored secrets (access tokens, API keys, webhook tokens, app secrets). */
@ConfigMapping(prefix = "gateway.encryption")
public interface EncryptionConfig {

    /**
     * Comma-separated {@code id:base64(32 bytes)} AES-256 keys. The first encrypts new writes; all decrypt,
     * so a new key is put first and old ones stay until every row was rewritten. Required in prod.
     */
    Optional<List<String>> keys();
}
