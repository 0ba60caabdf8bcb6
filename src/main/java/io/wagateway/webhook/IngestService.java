package io.wagateway.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

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
import io.wagateway.conversation.ContentSummary;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.InboundRow;
import io.wagateway.conversation.MessageStatus;
import io.wagateway.conversation.StatusOutcome;
import io.wagateway.webhook.WebhookMetrics.ItemOutcome;
import io.wagateway.webhook.WebhookMetrics.Outcome;
import io.wagateway.webhook.WebhookSecrets.Signer;
import io.wagateway.webhook.payload.Delivery;
import io.wagateway.webhook.payload.DeliveryParser;
import io.wagateway.webhook.payload.InboundMessage;
import io.wagateway.webhook.payload.Keys;
import io.wagateway.webhook.payload.Routing;
import io.wagateway.webhook.payload.StatusUpdate;
import io.wagateway.webhook.payload.WebhookError;

/**
 * Receives one signed delivery: verifies it (and so learns who signed it), parses it, and stores in one
 * transaction every item its signer may store. The answer is produced only from the committed outcome, so
 * nothing acknowledged is ever lost; every step is idempotent, so Meta's redeliveries store nothing twice.
 * What no retry could store (no business number, a key too long to index, data PostgreSQL refuses) is
 * acknowledged and counted, the refused data kept as a dead letter, so it never holds up the rest.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    /** Per-request warnings (forged deliveries, unrouted numbers) at most once a minute per kind and key. */
    private final LogThrottle throttle = new LogThrottle(java.time.Duration.ofMinutes(1));

    /** What happened to a delivery, and what the HTTP answer says. */
    public record Result(Outcome outcome, int stored, int duplicates, List<String> storedTypes,
            List<StatusResult> statuses, String detail) {

        static Result of(Outcome outcome, String detail) {
            return new Result(outcome, 0, 0, List.of(), List.of(), detail);
        }

        public int statusesApplied() {
            return (int) statuses.stream().filter(s -> s.outcome() == StatusOutcome.APPLIED).count();
        }

        public int statusesPending() {
            return (int) statuses.stream().filter(s -> s.outcome() == StatusOutcome.PENDING).count();
        }
    }

    /** What one status did; counted in the metrics only once its transaction committed. */
    public record StatusResult(String status, StatusOutcome outcome) {
    }

    private final Pool pool;
    private final ConversationWrites repository;
    private final DeadLetterWriter deadLetterWriter;
    private final InboundBatcher batcher;
    private final WebhookSecrets secrets;
    private final WebhookMetrics metrics;
    private final WebhookConfig config;
    private final ObjectMapper mapper;

    public IngestService(Pool pool, ConversationWrites repository, DeadLetterWriter deadLetters, InboundBatcher batcher,
            WebhookSecrets secrets, WebhookMetrics metrics,
            WebhookConfig config, ObjectMapper mapper) {
        this.pool = pool;
        this.repository = repository;
        this.deadLetterWriter = deadLetters;
        this.batcher = batcher;
        this.secrets = secrets;
        this.metrics = metrics;
        this.config = config;
        this.mapper = mapper;
    }

    public Uni<Result> receive(byte[] body, String signature) {
        Timer.Sample sample = metrics.start();
        Instant arrival = Instant.now();
        return verify(body, signature)
                .chain(signer -> signer != null ? parseAndStore(body, signer, arrival)
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

    /**
     * Who signed the delivery, or null when nobody did. Configured secrets first (no I/O; they sign for every
     * number); the settings rows' secrets only when those do not match.
     */
    private Uni<Signer> verify(byte[] body, String signature) {
        if (SignatureVerifier.parse(signature) == null) {
            long suppressed = throttle.admit("signature-format");
            if (suppressed >= 0) {
                LOG.warnf("Rejected webhook delivery (%d bytes): X-Hub-Signature-256 header %s (%d similar "
                        + "rejections not logged in the last minute)", body.length,
                        signature == null ? "missing" : "malformed", suppressed);
            }
            return Uni.createFrom().nullItem();
        }
        if (SignatureVerifier.verify(body, signature, secrets.configuredSecrets())) {
            return Uni.createFrom().item(Signer.ANY);
        }
        return secrets.snapshot().map(snapshot -> {
            int signer = SignatureVerifier.indexOf(body, signature, snapshot.appSecrets());
            if (signer >= 0) {
                return snapshot.signers().get(signer);
            }
            long suppressed = throttle.admit("signature-mismatch");
            if (suppressed < 0) {
                return null;
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
            return null;
        });
    }

    private Uni<Result> parseAndStore(byte[] body, Signer signer, Instant arrival) {
        Delivery delivery;
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || !root.isObject()) {
                return Uni.createFrom().item(Result.of(Outcome.INVALID, "the body is not a JSON object"));
            }
            delivery = DeliveryParser.parse(root, arrival);
        } catch (java.io.IOException e) {
            return Uni.createFrom().item(Result.of(Outcome.INVALID, "the body is not valid JSON"));
        }
        metrics.timestampsReplaced(delivery.timestampsReplaced());
        delivery.ignoredFields().forEach(field -> {
            metrics.ignoredField(field);
            LOG.debugf("Acknowledged webhook change without storing it: %s", LogValue.of(field));
        });
        for (WebhookError error : delivery.errors()) {
            metrics.webhookError(error.code());
            long suppressed = throttle.admit("meta-error");
            if (suppressed >= 0) {
                LOG.warnf("Meta reported an error for phone_number_id=%s: code=%s title=%s details=%s (%d more not "
                        + "logged in the last minute)", LogValue.of(error.routing().phoneNumberId()), error.code(),
                        LogValue.of(error.title()), LogValue.of(error.details()), suppressed);
            }
        }
        Delivery routed = route(delivery, signer);
        return countUnrouted(routed).chain(() -> store(routed, signer));
    }

    /**
     * The items this delivery may store: those addressed to a number (a change without
     * {@code metadata.phone_number_id} cannot be stored for anyone) that its signer owns. The others are
     * acknowledged and counted, never stored, so they cannot touch another business's conversations.
     */
    private Delivery route(Delivery delivery, Signer signer) {
        List<InboundMessage> messages = routable(delivery.messages(),
                m -> routable(m.routing(), signer, "message", m.id()));
        List<StatusUpdate> statuses = routable(delivery.statuses(),
                s -> routable(s.routing(), signer, "status", s.messageId()));
        return messages == delivery.messages() && statuses == delivery.statuses() ? delivery
                : delivery.withItems(messages, statuses);
    }

    /** The items {@code routable} admits; the same list (no copy) while it admits all, the usual delivery. */
    private static <T> List<T> routable(List<T> items, java.util.function.Predicate<T> routable) {
        for (int i = 0; i < items.size(); i++) {
            if (!routable.test(items.get(i))) {
                List<T> kept = new ArrayList<>(items.subList(0, i));
                for (int j = i + 1; j < items.size(); j++) {
                    if (routable.test(items.get(j))) {
                        kept.add(items.get(j));
                    }
                }
                return kept;
            }
        }
        return items;
    }

    private boolean routable(Routing routing, Signer signer, String kind, String wamid) {
        String number = routing.phoneNumberId();
        if (number == null || number.isBlank()) {
            metrics.item(ItemOutcome.UNROUTABLE);
            long suppressed = throttle.admit("unroutable");
            if (suppressed >= 0) {
                LOG.warnf("Acknowledged a %s without metadata.phone_number_id (wamid=%s, entry %s) without storing "
                        + "it: it names no business number (%d more not logged in the last minute)", kind,
                        LogValue.of(wamid), LogValue.of(routing.wabaId()), suppressed);
            }
            return false;
        }
        if (!signer.owns(routing.wabaId(), number)) {
            metrics.item(ItemOutcome.FOREIGN);
            long suppressed = throttle.admit("foreign");
            if (suppressed >= 0) {
                LOG.warnf("Acknowledged a %s for phone_number_id=%s (entry %s) without storing it: the delivery is "
                        + "signed with a settings row's app secret that does not sign for this number (%d more not "
                        + "logged in the last minute)", kind, LogValue.of(number), LogValue.of(routing.wabaId()),
                        suppressed);
            }
            return false;
        }
        return true;
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
            String number = LogValue.of(routing.phoneNumberId());
            long suppressed = throttle.admit("unrouted:" + number);
            if (suppressed >= 0) {
                String shown = LogValue.of(wamid);
                LogContext.withWamid(shown, () -> LOG.warnf("Storing %s for phone_number_id=%s, which has no active "
                        + "settings row (%d more for this number not logged in the last minute)", shown, number,
                        suppressed));
            }
        }
    }

    private Uni<Result> store(Delivery delivery, Signer signer) {
        List<InboundRow> rows = new ArrayList<>();
        int skipped = 0;
        int stale = 0;
        java.time.Instant staleBefore = java.time.Instant.now().minus(config.staleAfter());
        for (InboundMessage message : delivery.messages()) {
            if (message.id() == null || message.id().isBlank() || message.from() == null || message.from().isBlank()) {
                skipped++;
                skippedWarning("Skipping an inbound message without id or sender (type=%s, phone_number_id=%s)",
                        message.type(), message.routing().phoneNumberId());
                continue;
            }
            InboundRow row = toRow(message);
            if (!Keys.fits(row.wamid()) || !Keys.fits(row.phoneNumber()) || !Keys.fits(row.waId())) {
                // Unique keys: PostgreSQL refuses index entries past a size in bytes, so such a message could never
                // be stored and its delivery would be answered 503 for the days Meta retries. Real ones are short.
                skipped++;
                metrics.item(ItemOutcome.INVALID);
                skippedWarning("Skipping an inbound message whose id, sender or wa_id is over " + Keys.MAX_BYTES
                        + " bytes (type=%s, phone_number_id=%s)", message.type(), message.routing().phoneNumberId());
                continue;
            }
            if (message.timestamp().isBefore(staleBefore)) {
                // Older than Meta's retry horizon: no retry of a message we must keep (a replayed capture, or
                // a deleted conversation whose tombstones were purged), so acknowledged and not stored.
                stale++;
                long suppressed = throttle.admit("stale");
                if (suppressed >= 0) {
                    LogContext.withWamid(LogValue.of(message.id()), () -> LOG.infof("Acknowledged without storing an inbound "
                            + "message older than gateway.whatsapp.stale-after (phone_number_id=%s; %d more not "
                            + "logged in the last minute)", LogValue.of(message.routing().phoneNumberId()), suppressed));
                }
                continue;
            }
            rows.add(row);
        }
        int staleMessages = stale;
        rows.sort(InboundRow.LOCK_ORDER);
        List<StatusUpdate> statuses = new ArrayList<>();
        for (StatusUpdate status : delivery.statuses()) {
            if (status.messageId() == null || MessageStatus.fromWire(status.status()) == null) {
                metrics.unknownStatus();
                String shown = LogValue.of(status.messageId());
                if (throttle.admit("unknown-status") >= 0) {
                    LogContext.withWamid(shown, () -> LOG.warnf("Ignoring status '%s' for %s: not a status this "
                            + "service knows", LogValue.of(status.status()), shown));
                }
                continue;
            }
            if (!Keys.fits(StorableText.text(status.messageId())) || !Keys.fits(StorableText.text(status.recipientId()))) {
                metrics.item(ItemOutcome.INVALID);
                skippedWarning("Skipping a status whose id or recipient is over " + Keys.MAX_BYTES
                        + " bytes (status=%s, phone_number_id=%s)", status.status(), status.routing().phoneNumberId());
                continue;
            }
            statuses.add(status);
        }
        statuses.sort(Comparator.comparing(StatusUpdate::messageId));
        if (rows.isEmpty() && statuses.isEmpty()) {
            metrics.staleMessages(staleMessages);
            return Uni.createFrom().item(new Result(Outcome.STORED, 0, 0, List.of(), List.of(),
                    skipped > 0 ? skipped + " item(s) without id skipped" : "nothing to store"));
        }
        Uni<Result> work;
        if (rows.size() == 1 && statuses.isEmpty()) {
            // A lone message is one atomic statement, grouped with concurrent deliveries' (group commit).
            work = batcher.store(rows.get(0))
                    .map(stored -> stored
                            ? new Result(Outcome.STORED, 1, 0, List.of(rows.get(0).messageType()), List.of(), null)
                            : new Result(Outcome.DUPLICATE, 0, 1, List.of(), List.of(), null))
                    .onFailure(DeadLetter.Kept.class)
                    .recoverWithItem(kept -> new Result(Outcome.STORED, 0, 0, List.of(), List.of(), kept.getMessage()));
        } else {
            // Several items: one transaction of their own, under the same waiting bound as the group commit's queue.
            work = batcher.bounded(() -> storeTogether(rows, statuses, signer));
        }
        return work
                .ifNoItem().after(config.ingestTimeout()).fail()
                .invoke(this::countStored)
                .invoke(() -> metrics.staleMessages(staleMessages));
    }

    /** One transaction for the delivery's items; an item PostgreSQL refuses for its data becomes a dead letter. */
    private Uni<Result> storeTogether(List<InboundRow> rows, List<StatusUpdate> statuses,
            Signer signer) {
        return storeTogether(rows, statuses, signer, List.of());
    }

    /**
     * Runs the transaction; when one item is refused with a data error, runs it again without that item and
     * with its dead letter (no extra statement while nothing is refused; at most one more run per refused item).
     */
    private Uni<Result> storeTogether(List<InboundRow> rows, List<StatusUpdate> statuses,
            Signer signer, List<DeadLetter> deadLetters) {
        return ConversationWrites.retryingConflicts(pool.withTransaction(tx -> keep(tx, deadLetters)
                .chain(() -> storeAll(tx, rows, statuses, signer))))
                .invoke(() -> deadLetters.forEach(letter -> letter.counted(metrics)))
                .onFailure(PoisonedItem.class).recoverWithUni(failure -> {
                    PoisonedItem poisoned = (PoisonedItem) failure;
                    List<DeadLetter> kept = new ArrayList<>(deadLetters);
                    if (poisoned.letter != null) {
                        kept.add(poisoned.letter);
                    } else {
                        kept.remove(poisoned.item);
                    }
                    return storeTogether(without(rows, poisoned.item), without(statuses, poisoned.item), signer, kept);
                });
    }

    private Uni<Void> keep(SqlClient tx, List<DeadLetter> deadLetters) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DeadLetter letter : deadLetters) {
            chain = chain.chain(() -> deadLetterWriter.insert(tx, letter)
                    .onFailure(ConversationWrites::isPermanent).transform(failure -> {
                        // Not even the dead letter is storable: dropped (logged), the rest still stored.
                        LOG.errorf("Could not keep a %s for phone_number_id=%s (wamid=%s) as a dead letter either "
                                + "(PostgreSQL %s); acknowledged without storing it", letter.kind(),
                                LogValue.of(letter.phoneNumberId()), LogValue.of(letter.wamid()),
                                ((PgException) failure).getSqlState());
                        return new PoisonedItem(letter, null);
                    }));
        }
        return chain;
    }

    private static <T> List<T> without(List<T> items, Object item) {
        List<T> rest = new ArrayList<>(items.size());
        boolean removed = false;
        for (T candidate : items) {
            if (!removed && candidate == item) {
                removed = true;
            } else {
                rest.add(candidate);
            }
        }
        return removed ? rest : items;
    }

    private Uni<Result> storeAll(SqlClient tx, List<InboundRow> rows, List<StatusUpdate> statuses,
            Signer signer) {
        List<String> storedTypes = new ArrayList<>();
        int[] duplicates = new int[1];
        List<StatusResult> statusResults = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (InboundRow row : rows) {
            chain = chain.chain(() -> repository.insertInbound(tx, row)
                    .onFailure(ConversationWrites::isPermanent)
                    .transform(failure -> new PoisonedItem(row, DeadLetter.message(row, (PgException) failure)))
                    .invoke(stored -> {
                        if (stored) {
                            storedTypes.add(row.messageType());
                        } else {
                            duplicates[0]++;
                        }
                    }).replaceWithVoid());
        }
        for (StatusUpdate status : statuses) {
            MessageStatus known = MessageStatus.fromWire(status.status());
            // A settings row's secret moves only messages of the number the status names (the signer's own).
            String scope = signer.everyNumber() ? null : StorableText.text(status.routing().phoneNumberId());
            chain = chain.chain(() -> {
                String raw = json(status.raw());
                String wamid = StorableText.text(status.messageId());
                return repository.applyStatus(tx, wamid, known.wireName(), known.rank(), status.timestamp(),
                        json(status.errors()), raw, scope)
                        .onFailure(ConversationWrites::isPermanent)
                        .transform(failure -> new PoisonedItem(status, DeadLetter.of(DeadLetter.STATUS,
                                status.routing().phoneNumberId(), wamid, (PgException) failure, raw)))
                        .invoke(outcome -> statusResults.add(new StatusResult(known.wireName(), outcome)))
                        .replaceWithVoid();
            });
        }
        return chain.map(ignored -> new Result(storedTypes.isEmpty() && duplicates[0] > 0 && statuses.isEmpty()
                ? Outcome.DUPLICATE
                : Outcome.STORED, storedTypes.size(), duplicates[0], storedTypes, statusResults,
                null));
    }

    /** One item of a transaction refused for its data: the transaction runs again without it. */
    private static final class PoisonedItem extends RuntimeException {
        final Object item;
        final DeadLetter letter;

        PoisonedItem(Object item, DeadLetter letter) {
            super("an item was refused for its data", null, false, false);
            this.item = item;
            this.letter = letter;
        }
    }

    private void skippedWarning(String format, String type, String phoneNumberId) {
        long suppressed = throttle.admit("skipped");
        if (suppressed >= 0) {
            LOG.warnf(format + " (%d more skipped items not logged in the last minute)", LogValue.of(type),
                    LogValue.of(phoneNumberId), suppressed);
        }
    }

    private void countStored(Result result) {
        result.storedTypes().forEach(metrics::messageStored);
        result.statuses().forEach(s -> {
            if (s.outcome() == StatusOutcome.FOREIGN) {
                metrics.item(ItemOutcome.FOREIGN);
            } else {
                metrics.status(s.status(), s.outcome());
            }
        });
        for (int i = 0; i < result.duplicates(); i++) {
            metrics.duplicate();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Delivery stored: %d new, %d duplicate, %d status(es) applied, %d pending", result.stored(),
                    result.duplicates(), result.statusesApplied(), result.statusesPending());
        }
    }

    private InboundRow toRow(InboundMessage message) {
        ObjectNode metadata = mapper.createObjectNode();
        metadata.put("wabaId", message.routing().wabaId());
        metadata.put("phoneNumberId", message.routing().phoneNumberId());
        metadata.put("displayPhoneNumber", message.routing().displayPhoneNumber());
        metadata.put("contactName", message.contactName());
        metadata.put("contactWaId", message.waId());
        metadata.set("message", message.raw());
        String type = message.type() == null || message.type().isBlank() ? "unknown" : message.type();
        // Every text PostgreSQL would refuse (U+0000) is made storable, or the delivery would fail for ever.
        return new InboundRow(StorableText.text(message.waId()),
                StorableText.text(message.contactName()), StorableText.text(message.from()),
                StorableText.text(message.routing().phoneNumberId()), message.timestamp(),
                StorableText.text(message.id()), StorableText.text(ContentSummary.of(message.raw())),
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

    private static String describe(Throwable failure) {
        if (failure instanceof PgException pg) {
            return "PostgreSQL " + pg.getSqlState() + ": " + LogValue.of(pg.getErrorMessage());
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
