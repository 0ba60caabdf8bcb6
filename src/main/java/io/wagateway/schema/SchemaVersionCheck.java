package io.wagateway.schema;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Readiness data: the schema the module lives in and the newest migration applied there (GET /q/health/ready). */
@Readiness
@ApplicationScoped
public class SchemaVersionCheck implements AsyncHealthCheck {

    private final Pool pool;
    private final SchemaConfig config;

    public SchemaVersionCheck(Pool pool, SchemaConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query(Rollback.APPLIED).execute()
                .map(rows -> {
                    var it = rows.iterator();
                    String version = it.hasNext() ? it.next().getString("version") : "0";
                    return HealthCheckResponse.named("database schema").up()
                            .withData("schema", config.schema()).withData("schemaVersion", version).build();
                })
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("database schema").down()
                        .withData("schema", config.schema()).withData("error", e.getClass().getSimpleName()).build());
    }

}
