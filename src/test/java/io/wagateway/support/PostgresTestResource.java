package io.wagateway.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives every test run its own throwaway PostgreSQL database on a real server, so runs never see each
 * other's rows. The server is the one at PGHOST:PGPORT (default 127.0.0.1:5432, user PGUSER, default
 * postgres); see {@link TestDatabase}. The same configuration reaches @QuarkusTest apps and the packaged
 * jar started by @QuarkusIntegrationTest.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** A fixed, clearly insecure key for tests only; "test-old" proves rotation (it only decrypts). */
    public static final String ENCRYPTION_KEYS = "test-current:dGVzdC1vbmx5LWluc2VjdXJlLWtleS0wMTIzNDU2Nzg=,"
            + "test-old:b2xkLXRlc3Qtb25seS1pbnNlY3VyZS1rZXktMDEyMzQ=";
    public static final String ADMIN_KEY = "test-admin-key-7f3a9c-0123456789abcdef";
    public static final String SECOND_ADMIN_KEY = "test-admin-key-rotated-2b81-0123456789abcdef";
    public static final String APP_SECRET = "test_app_secret_0123456789abcdef";

    private static volatile TcpProxy proxy;
    private TestDatabase database;

    /**
     * The cuttable proxy the application's reactive pool connects through (Flyway's JDBC connection at
     * startup goes direct): tests make the database unavailable with {@code proxy().cut()}.
     */
    public static TcpProxy proxy() {
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create();
        try {
            proxy = new TcpProxy(database.host(), database.port());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot start the database proxy", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.reactive.url", database.reactiveUrl(proxy.port()));
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        config.put("quarkus.datasource.username", database.user());
        if (database.password() != null) {
            config.put("quarkus.datasource.password", database.password());
        }
        config.put("gateway.encryption.keys", ENCRYPTION_KEYS);
        config.put("gateway.admin.api-keys", ADMIN_KEY + "," + SECOND_ADMIN_KEY);
        config.put("gateway.whatsapp.app-secrets", APP_SECRET);
        // Meta's fixtures (and the bodies tests build like them) carry timestamps of January 2026; the default
        // retry horizon would make them stale. TombstoneTest proves the rule against the configured horizon.
        config.put("gateway.whatsapp.stale-after", "3650d");
        return config;
    }

    @Override
    public void stop() {
        if (proxy != null) {
            try {
                proxy.close();
            } catch (java.io.IOException e) {
                // closing anyway
            }
        }
        if (database != null) {
            database.drop();
        }
    }
}
