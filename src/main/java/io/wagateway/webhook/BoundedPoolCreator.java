package io.wagateway.webhook;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The reactive pool as Quarkus configures it, plus the two bounds Quarkus has no key for: how many requests may
 * wait for a connection and for how long. Without them a database that stops answering lets every delivery's
 * transaction, and its payload, queue in the pool for ever (the pool's wait queue is unbounded by default).
 */
@Singleton
public class BoundedPoolCreator implements PgPoolCreator {

    /** Longest statement text the client keeps prepared: above the ingest statements (its default is 2048). */
    static final int CACHED_SQL_LIMIT = 16_384;

    private final WebhookConfig config;

    public BoundedPoolCreator(WebhookConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        if (config.poolAcquireTimeout().compareTo(config.ingestTimeout()) >= 0) {
            throw new IllegalStateException("gateway.whatsapp.pool-acquire-timeout (" + config.poolAcquireTimeout()
                    + ") must be below gateway.whatsapp.ingest-timeout (" + config.ingestTimeout() + ")");
        }
        PoolOptions options = input.poolOptions()
                .setMaxWaitQueueSize(config.poolMaxWaitQueueSize())
                .setConnectionTimeout((int) Math.max(1, config.poolAcquireTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        // a statement over the cache's SQL limit is parsed and planned again on every execution, which costs
        // PostgreSQL more than running the ingest statements
        List<PgConnectOptions> connect = input.pgConnectOptionsList();
        connect.forEach(each -> each.setPreparedStatementCacheSqlLimit(CACHED_SQL_LIMIT));
        return PgPool.pool(input.vertx(), connect, options);
    }
}
