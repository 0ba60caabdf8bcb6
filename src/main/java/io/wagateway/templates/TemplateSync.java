package io.wagateway.templates;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.wagateway.common.PeriodicJob;
import io.wagateway.common.SqlFiles;
import io.wagateway.graph.GraphTemplates;
import io.wagateway.settings.SettingsCredentials;
import io.wagateway.settings.SettingsService;
import io.wagateway.templates.dto.SyncResponse;

/**
 * Reads the templates of every active business account (the {@code businessId} of the active settings rows, with the
 * token of one of its rows) from the Graph API and stores them; on demand and every
 * {@code gateway.templates.sync-interval}. One replica at a time: a run holds a PostgreSQL advisory lock on its own
 * connection, and a run that cannot take it is skipped.
 */
@ApplicationScoped
public class TemplateSync {

    private static final Logger LOG = Logger.getLogger(TemplateSync.class);

    private final String lock = SqlFiles.load("templates/sync-lock.sql");
    private final String unlock = SqlFiles.load("templates/sync-unlock.sql");
    private final Vertx vertx;
    private final Pool pool;
    private final SettingsService settings;
    private final GraphTemplates graph;
    private final TemplateWrites writes;
    private final TemplatesConfig config;
    private PeriodicJob job;

    public TemplateSync(Vertx vertx, Pool pool, SettingsService settings, GraphTemplates graph, TemplateWrites writes,
            TemplatesConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.settings = settings;
        this.graph = graph;
        this.writes = writes;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        long period = config.syncInterval().toMillis();
        job = PeriodicJob.start(vertx, period, period, this::run, result -> {
            if (!result.skipped()) {
                LOG.infof("Template sync: %d template(s) of %d account(s), %d account(s) failed",
                        result.templates(), result.accounts(), result.failedAccounts().size());
            }
        }, failure -> LOG.warnf("Template sync failed: %s", failure.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /** One sync of every active business account; skipped (nothing read) while another replica runs one. */
    public Uni<SyncResponse> run() {
        return pool.withConnection(connection -> connection.query(lock).execute()
                .map(rows -> rows.iterator().next().getBoolean("taken"))
                .chain(taken -> !taken ? Uni.createFrom().item(new SyncResponse(0, 0, List.of(), true))
                        : syncAll().onTermination().call(() -> connection.query(unlock).execute())));
    }

    private Uni<SyncResponse> syncAll() {
        return settings.activeCredentials().chain(rows -> {
            Map<String, SettingsCredentials> accounts = new LinkedHashMap<>();
            for (SettingsCredentials row : rows) {
                if (row.businessId() != null && !row.businessId().isBlank()) {
                    accounts.putIfAbsent(row.businessId(), row);
                }
            }
            List<String> failed = new ArrayList<>();
            return Multi.createFrom().iterable(accounts.values()).onItem()
                    .transformToUniAndConcatenate(row -> syncAccount(row).onFailure().recoverWithItem(failure -> {
                        LOG.warnf("Template sync of business account %s failed: %s", row.businessId(),
                                failure.getMessage());
                        failed.add(row.businessId());
                        return 0;
                    }))
                    .collect().asList()
                    .map(counts -> new SyncResponse(accounts.size(), counts.stream().mapToInt(Integer::intValue).sum(),
                            List.copyOf(failed), false));
        });
    }

    private Uni<Integer> syncAccount(SettingsCredentials row) {
        Instant at = Instant.now();
        return graph.all(row.businessId(), row.accessToken()).chain(templates -> Multi.createFrom()
                .iterable(templates).filter(t -> t.hasNonNull("id"))
                .onItem().transformToUniAndConcatenate((JsonNode t) -> writes.upsertSynced(row.businessId(), t, at))
                .collect().asList().map(List::size));
    }
}
