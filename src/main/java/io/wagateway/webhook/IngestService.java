package io.wagateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import io.wagateway.common.LogContext;
import io.wagateway.common.LogThrottle;
import io.wagateway.message.MessageStatus;
import io.wagateway.webhook.WebhookMetrics.Outcome;
import io.wagateway.webhook.payload.Delivery;
import io.wagateway.webhook.payload.DeliveryParser;
import io.wagateway.webhook.payload.InboundMessage;
import io.wagateway.webhook.payload.MessageContent;
import io.wagateway.webhook.payload.Routing;
import io.wagateway.webhook.payload.StatusUpdate;
import io.wagateway.webhook.payload.WebhookError;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Receives one signed delivery: verifies it, parses it, and stores all of it in one transaction. The
 * answer is produced only from the committed outcome, so nothing acknowledged is ever lost; every step is
 * idempotent, so Meta's redeliveries store nothing twice.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);
    /** Longest wamid, sender or wa_id stored (Meta's are well under 100 characters). */
    static final int MAX_KEY_LENGTH = 1024;

    /** Per-request warnings (forged deliveries, unrouted numbers) at most once a minute per kind and key. */
    private final LogThrottle throttle = new LogThrottle(java.time.Duration.ofMinutes(1));

    /** What happened to a delivery, and what the HTTP answer says. */
    public record Result(Outcome outcome, int stored, int duplicates, List<String> storedTypes,
            List<StatusResult> statuses, String detail) {

        static Result of(Outcome outcome, String detail) {
            return new Result(outcome, 0, 0, List.of(), List.of(), detail);
        }

        public int statusesApplied() {
            return (int) statuses.stream().filter(s -> s.outcome() == IngestRepository.StatusOutcome.APPLIED).count();
        }

        public int statusesPending() {
            return (int) statuses.stream().filter(s -> s.outcome() == IngestRepository.StatusOutcome.PENDING).count();
        }
    }

    /** What one status did; counted in the metrics only once its transaction committed. */
    public record StatusResult(String status, IngestRepository.StatusOutcome outcome) {
    }

    private final Pool pool;
    private final IngestRepository repository;
    private final InboundBatcher batcher;
    private final WebhookSecrets secrets;
    private final WebhookMetrics metrics;
    private final WebhookConfig config;
    private final ObjectMapper mapper;

    public IngestService(Pool pool, IngestRepository repository, InboundBatcher batcher, WebhookSecrets secrets, WebhookMetrics metrics,
            WebhookConfig config, ObjectMapper mapper) {
        this.pool = pool;
        this.repository = repository;
        this.batcher = batcher;
        this.secrets = secrets;
        this.metrics = metrics;
        this.config = config;
        this.mapper = mapper;
    }

    public Uni<Result> receive(byte[] body, String signature) {
        Timer.Sample sample = metrics.start();
        return verify(body, signature)
                .chain(valid -> valid ? parseAndStore(body)
                        : Uni.createFrom().item(Result.of(Outcome.REJECTED_SIGNATURE, "invalid signature")))
                .onFailure().recoverWithItem(failure -> {
                    long suppressed = throttle.admit("unavailable");
                    if (suppressed >= 0) {
                        LOG.warnf("Webhook delivery not stored, answering 503 so that Meta retries: %s (%d more "
                                + "not logged in the last minute)", describe(failure), suppressed);
                    }
                    return Result.of(Outcome.UNAVAILABLE, "storage unavailable");
                })
                .invoke(result -> {
                    metrics.delivery(result.outcome());
                    metrics.stop(sample);
                });
    }

    /** Configured secrets first (no I/O); the settings rows' secrets only when those do not match. */
    private Uni<Boolean> verify(byte[] body, String signature) {
        if (SignatureVerifier.parse(signature) == null) {
            long suppressed = throttle.admit("signature-format");
            if (suppressed >= 0) {
                LOG.warnf("Rejected webhook delivery (%d bytes): X-Hub-Signature-256 header %s (%d similar "
                        + "rejections not logged in the last minute)", body.length,
                        signature == null ? "missing" : "malformed", suppressed);
            }
            return Uni.createFrom().item(false);
        }
        if (SignatureVerifier.verify(body, signature, secrets.configuredSecrets())) {
            return Uni.createFrom().item(true);
        }
        return secrets.snapshot().map(snapshot -> {
            if (SignatureVerifier.verify(body, signature, snapshot.appSecrets())) {
                return true;
            }
            long suppressed = throttle.admit("signature-mismatch");
            if (suppressed < 0) {
                return false;
            }
            if (secrets.configuredSecrets().isEmpty() && snapshot.appSecrets().isEmpty()) {
                LOG.error("Rejected webhook delivery: no Meta app secret is configured, so no delivery can be "
                        + "verified. Set GATEWAY_WHATSAPP_APP_SECRETS to your app's secret (App Dashboard > App "
                        + "settings > Basic > App secret) or give a settings row an appSecret.");
            } else {
                LOG.warnf("Rejected webhook delivery (%d bytes): X-Hub-Signature-256 matches none of the %d app "
                        + "secret(s). If every delivery fails, the app secret is wrong or was rotated. (%d similar "
                        + "rejections not logged in the last minute)", body.length,
                        secrets.configuredSecrets().size() + snapshot.appSecrets().size(), suppressed);
            }
            return false;
        });
    }

    private Uni<Result> parseAndStore(byte[] body) {
        Delivery delivery;
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || !root.isObject()) {
                return Uni.createFrom().item(Result.of(Outcome.INVALID, "the body is not a JSON object"));
            }
            delivery = DeliveryParser.parse(root);
        } catch (java.io.IOException e) {
            return Uni.createFrom().item(Result.of(Outcome.INVALID, "the body is not valid JSON"));
        }
        delivery.ignoredFields().forEach(field -> {
            metrics.ignoredField(field);
            LOG.debugf("Acknowledged webhook change without storing it: %s", field);
        });
        for (WebhookError error : delivery.errors()) {
            metrics.webhookError(error.code());
            LOG.warnf("Meta reported an error for phone_number_id=%s: code=%s title=%s details=%s",
                    error.routing().phoneNumberId(), error.code(), error.title(), error.details());
        }
        return countUnrouted(delivery).chain(() -> store(delivery));
    }

    private Uni<Void> countUnrouted(Delivery delivery) {
        if (delivery.itemCount() == 0) {
            return Uni.createFrom().voidItem();
        }
        return secrets.snapshot().onFailure().recoverWithNull().invoke(snapshot -> {
            if (snapshot == null) {
                return;
            }
            Set<String> active = snapshot.activeNumbers();
            delivery.messages().forEach(m -> unrouted(active, m.routing(), m.id()));
            delivery.statuses().forEach(s -> unrouted(active, s.routing(), s.messageId()));
        }).replaceWithVoid();
    }

    private void unrouted(Set<String> active, Routing routing, String wamid) {
        if (!active.contains(routing.phoneNumberId())) {
            metrics.unrouted();
            long suppressed = throttle.admit("unrouted:" + routing.phoneNumberId());
            if (suppressed >= 0) {
                LogContext.withWamid(wamid, () -> LOG.warnf("Storing %s for phone_number_id=%s, which has no active "
                        + "settings row (%d more for this number not logged in the last minute)", wamid,
                        routing.phoneNumberId(), suppressed));
            }
        }
    }

    private Uni<Result> store(Delivery delivery) {
        List<IngestRepository.InboundRow> rows = new ArrayList<>();
        int skipped = 0;
        for (InboundMessage message : delivery.messages()) {
            if (message.id() == null || message.id().isBlank() || message.from() == null || message.from().isBlank()) {
                skipped++;
                LOG.warnf("Skipping an inbound message without id or sender (type=%s, phone_number_id=%s)",
                        message.type(), message.routing().phoneNumberId());
                continue;
            }
            if (tooLong(message.id()) || tooLong(message.from()) || tooLong(message.waId())) {
                // Unique keys: PostgreSQL refuses index entries over ~2.7 kB, so such a message could never be
                // stored and its delivery would be answered 503 for the 7 days Meta retries. Real ones are < 100.
                skipped++;
                LOG.warnf("Skipping an inbound message whose id, sender or wa_id is over %d characters (type=%s, "
                        + "phone_number_id=%s)", MAX_KEY_LENGTH, message.type(), message.routing().phoneNumberId());
                continue;
            }
            rows.add(toRow(message));
        }
        rows.sort(IngestRepository.InboundRow.LOCK_ORDER);
        List<StatusUpdate> statuses = new ArrayList<>();
        for (StatusUpdate status : delivery.statuses()) {
            if (status.messageId() == null || MessageStatus.fromWire(status.status()) == null) {
                metrics.unknownStatus();
                LogContext.withWamid(status.messageId(), () -> LOG.warnf("Ignoring status '%s' for %s: not a "
                        + "status this service knows", status.status(), status.messageId()));
                continue;
            }
            statuses.add(status);
        }
        statuses.sort(Comparator.comparing(StatusUpdate::messageId));
        if (rows.isEmpty() && statuses.isEmpty()) {
            return Uni.createFrom().item(new Result(Outcome.STORED, 0, 0, List.of(), List.of(),
                    skipped > 0 ? skipped + " item(s) without id skipped" : "nothing to store"));
        }
        Uni<Result> work;
        if (rows.size() == 1 && statuses.isEmpty()) {
            // A lone message is one atomic statement, grouped with concurrent deliveries' (group commit).
            work = batcher.store(rows.get(0))
                    .map(stored -> stored
                            ? new Result(Outcome.STORED, 1, 0, List.of(rows.get(0).messageType()), List.of(), null)
                            : new Result(Outcome.DUPLICATE, 0, 1, List.of(), List.of(), null));
        } else {
            // Several items: one transaction of their own, under the same waiting bound as the group commit's queue.
            work = batcher.bounded(() -> IngestRepository.retryingConflicts(
                    pool.withTransaction(tx -> storeAll(tx, rows, statuses))));
        }
        return work
                .ifNoItem().after(config.ingestTimeout()).fail()
                .invoke(this::countStored);
    }

    private Uni<Result> storeAll(SqlClient tx, List<IngestRepository.InboundRow> rows, List<StatusUpdate> statuses) {
        List<String> storedTypes = new ArrayList<>();
        int[] duplicates = new int[1];
        List<StatusResult> statusResults = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (IngestRepository.InboundRow row : rows) {
            chain = chain.chain(() -> repository.insertInbound(tx, row).invoke(stored -> {
                if (stored) {
                    storedTypes.add(row.messageType());
                } else {
                    duplicates[0]++;
                }
            }).replaceWithVoid());
        }
        for (StatusUpdate status : statuses) {
            MessageStatus known = MessageStatus.fromWire(status.status());
            chain = chain.chain(() -> repository.applyStatus(tx, StorableText.text(status.messageId()),
                    known.wireName(), known.rank(), status.timestamp(), json(status.errors()), json(status.raw()))
                    .invoke(outcome -> statusResults.add(new StatusResult(known.wireName(), outcome)))
                    .replaceWithVoid());
        }
        return chain.map(ignored -> new Result(storedTypes.isEmpty() && duplicates[0] > 0 && statuses.isEmpty()
                ? Outcome.DUPLICATE : Outcome.STORED, storedTypes.size(), duplicates[0], storedTypes, statusResults,
                null));
    }

    private void countStored(Result result) {
        result.storedTypes().forEach(metrics::messageStored);
        result.statuses().forEach(s -> metrics.status(s.status(), s.outcome()));
        for (int i = 0; i < result.duplicates(); i++) {
            metrics.duplicate();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Delivery stored: %d new, %d duplicate, %d status(es) applied, %d pending", result.stored(),
                    result.duplicates(), result.statusesApplied(), result.statusesPending());
        }
    }

    private IngestRepository.InboundRow toRow(InboundMessage message) {
        ObjectNode metadata = mapper.createObjectNode();
        metadata.put("wabaId", message.routing().wabaId());
        metadata.put("phoneNumberId", message.routing().phoneNumberId());
        metadata.put("displayPhoneNumber", message.routing().displayPhoneNumber());
        metadata.put("contactName", message.contactName());
        metadata.put("contactWaId", message.waId());
        metadata.set("message", message.raw());
        String type = message.type() == null || message.type().isBlank() ? "unknown" : message.type();
        // Every text PostgreSQL would refuse (U+0000) is made storable, or the delivery would fail for ever.
        return new IngestRepository.InboundRow(StorableText.text(message.waId()),
                StorableText.text(message.contactName()), StorableText.text(message.from()),
                StorableText.text(message.routing().phoneNumberId()), message.timestamp(),
                StorableText.text(message.id()), StorableText.text(MessageContent.of(message.raw())),
                StorableText.text(type), json(metadata));
    }

    /** JSON text for a jsonb parameter; a NUL anywhere in the tree is stored as U+FFFD (jsonb refuses it). */
    private String json(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            String json = mapper.writeValueAsString(node);
            if (StorableText.mayHoldNul(json)) {
                JsonNode storable = StorableText.tree(node);
                return storable == node ? json : mapper.writeValueAsString(storable);
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean tooLong(String key) {
        return key != null && key.length() > MAX_KEY_LENGTH;
    }

    private static String describe(Throwable failure) {
        if (failure instanceof PgException pg) {
            return "PostgreSQL " + pg.getSqlState() + ": " + pg.getErrorMessage();
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
