package io.wagateway.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wagateway.common.LogContext;
import io.wagateway.common.LogThrottle;
import io.wagateway.conversation.ContentSummary;
import io.wagateway.conversation.EditRow;
import io.wagateway.conversation.InboundRow;
import io.wagateway.conversation.MessageStatus;
import io.wagateway.webhook.WebhookSecrets.Signer;
import io.wagateway.webhook.payload.Delivery;
import io.wagateway.webhook.payload.InboundMessage;
import io.wagateway.webhook.payload.Keys;
import io.wagateway.webhook.payload.StatusUpdate;
import io.wagateway.webhook.payload.UserIdChange;

/**
 * A routed delivery as the writes it makes: each inbound message as a {@link InboundRow}, each status as a
 * {@link StatusWrite}, both in lock order. Items no retry could store (no id or sender, a key too long to index,
 * an unknown status) and messages older than {@code gateway.whatsapp.stale-after} are left out, logged
 * (throttled) and counted. Every text PostgreSQL would refuse (U+0000) is made storable.
 */
@ApplicationScoped
public class InboundRows {

    private static final Logger LOG = Logger.getLogger(InboundRows.class);

    /**
     * One status to apply ({@code ConversationWrites.applyStatus}); {@code scope} null = any number.
     * {@code recipientPhone} and {@code recipientUserId}: both set when the status names the recipient by phone and
     * by BSUID (a message to a person, not a group), which links them as a message carrying both does.
     */
    public record StatusWrite(String wamid, MessageStatus status, Instant timestamp, String errorsJson,
            String rawJson, String phoneNumberId, String scope, String recipientPhone, String recipientUserId) {

        public StatusWrite(String wamid, MessageStatus status, Instant timestamp, String errorsJson, String rawJson,
                String phoneNumberId, String scope) {
            this(wamid, status, timestamp, errorsJson, rawJson, phoneNumberId, scope, null, null);
        }

        boolean links() {
            return recipientPhone != null && recipientUserId != null;
        }
    }

    /** The writes of one delivery, and what was left out: without id, with a key too long, stale, unknown. */
    public record Rows(List<InboundRow> messages, List<StatusWrite> statuses, List<UserIdChange> userIdChanges,
            List<EditRow> edits, int skipped, int invalid, int stale, int unknownStatuses) {

        public Rows(List<InboundRow> messages, List<StatusWrite> statuses, int skipped, int invalid, int stale,
                int unknownStatuses) {
            this(messages, statuses, List.of(), List.of(), skipped, invalid, stale, unknownStatuses);
        }

        public boolean isEmpty() {
            return messages.isEmpty() && statuses.isEmpty() && userIdChanges.isEmpty() && edits.isEmpty();
        }
    }

    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final ObjectMapper mapper;
    private final WebhookConfig config;

    public InboundRows(ObjectMapper mapper, WebhookConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    public Rows of(Delivery delivery, Signer signer) {
        List<InboundRow> rows = new ArrayList<>();
        List<EditRow> edits = new ArrayList<>();
        int skipped = 0;
        int invalid = 0;
        int stale = 0;
        Instant staleBefore = Instant.now().minus(config.staleAfter());
        for (InboundMessage message : delivery.messages()) {
            if (message.id() == null || message.id().isBlank() || message.from() == null || message.from().isBlank()) {
                skipped++;
                skippedWarning("Skipping an inbound message without id or sender (type=%s, phone_number_id=%s)",
                        message.type(), message.routing().phoneNumberId());
                continue;
            }
            InboundRow row = row(message);
            if (!Keys.fits(row.wamid()) || !Keys.fits(row.phoneNumber()) || !Keys.fits(row.waId())
                    || !Keys.fits(row.userId()) || !Keys.fits(row.newUserId())) {
                // Unique keys: PostgreSQL refuses index entries past a size in bytes, so such a message could never
                // be stored and its delivery would be answered 503 for the days Meta retries. Real ones are short.
                skipped++;
                invalid++;
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
                    LogContext.withWamid(LogValue.of(message.id()), () -> LOG.infof("Acknowledged without storing an "
                            + "inbound message older than gateway.whatsapp.stale-after (phone_number_id=%s; %d more "
                            + "not logged in the last minute)", LogValue.of(message.routing().phoneNumberId()),
                            suppressed));
                }
                continue;
            }
            EditRow edit = edit(message);
            if (edit != null) {
                if (Keys.fits(edit.originalWamid())) {
                    edits.add(edit);
                } else {
                    invalid++;
                }
                continue;
            }
            rows.add(row);
        }
        edits.sort(Comparator.comparing(EditRow::originalWamid).thenComparing(EditRow::wamid));
        rows.sort(InboundRow.LOCK_ORDER);
        List<StatusUpdate> known = new ArrayList<>();
        int unknown = 0;
        for (StatusUpdate status : delivery.statuses()) {
            if (status.messageId() == null || MessageStatus.fromWire(status.status()) == null) {
                unknown++;
                String shown = LogValue.of(status.messageId());
                if (throttle.admit("unknown-status") >= 0) {
                    LogContext.withWamid(shown, () -> LOG.warnf("Ignoring status '%s' for %s: not a status this "
                            + "service knows", LogValue.of(status.status()), shown));
                }
                continue;
            }
            if (!Keys.fits(StorableText.text(status.messageId())) || !Keys.fits(StorableText.text(status.recipientId()))) {
                invalid++;
                skippedWarning("Skipping a status whose id or recipient is over " + Keys.MAX_BYTES
                        + " bytes (status=%s, phone_number_id=%s)", status.status(), status.routing().phoneNumberId());
                continue;
            }
            known.add(status);
        }
        known.sort(Comparator.comparing(StatusUpdate::messageId));
        List<StatusWrite> statuses = new ArrayList<>(known.size());
        for (StatusUpdate status : known) {
            // A settings row's secret moves only messages of the number the status names (the signer's own).
            String scope = signer.everyNumber() ? null : StorableText.text(status.routing().phoneNumberId());
            statuses.add(new StatusWrite(StorableText.text(status.messageId()), MessageStatus.fromWire(status.status()),
                    status.timestamp(), json(status.errors()), json(status.raw()), status.routing().phoneNumberId(),
                    scope,
                    linkable(status) ? StorableText.text(status.recipientId()) : null,
                    linkable(status) ? StorableText.text(status.recipientUserId()) : null));
        }
        List<UserIdChange> changes = new ArrayList<>();
        for (UserIdChange change : delivery.userIdChanges()) {
            UserIdChange storable = new UserIdChange(change.routing(), StorableText.text(change.waId()),
                    StorableText.text(change.previous()), StorableText.text(change.current()));
            if (Keys.fits(storable.current()) && Keys.fits(storable.previous()) && Keys.fits(storable.waId())) {
                changes.add(storable);
            } else {
                invalid++;
            }
        }
        return new Rows(rows, statuses, changes, edits, skipped, invalid, stale, unknown);
    }

    /** A status of a message to one person that names them by phone and by BSUID, both short enough to index. */
    private static boolean linkable(StatusUpdate status) {
        return status.recipientId() != null && status.recipientUserId() != null
                && !"group".equals(status.raw().path("recipient_type").asText(""))
                && Keys.fits(status.recipientId()) && Keys.fits(status.recipientUserId());
    }

    private InboundRow row(InboundMessage message) {
        ObjectNode metadata = mapper.createObjectNode();
        metadata.put("wabaId", message.routing().wabaId());
        metadata.put("phoneNumberId", message.routing().phoneNumberId());
        metadata.put("displayPhoneNumber", message.routing().displayPhoneNumber());
        metadata.put("contactName", message.contactName());
        metadata.put("contactWaId", message.waId());
        if (message.userId() != null) {
            metadata.put("contactUserId", message.userId());
            metadata.put("contactUsername", message.username());
        }
        metadata.set("message", message.raw());
        String type = message.type() == null || message.type().isBlank() ? "unknown" : message.type();
        return new InboundRow(StorableText.text(message.waId()),
                StorableText.text(message.contactName()), StorableText.text(message.from()),
                StorableText.text(message.routing().phoneNumberId()), message.timestamp(),
                StorableText.text(message.id()), StorableText.text(ContentSummary.of(message.raw())),
                StorableText.text(type), json(metadata), StorableText.text(message.userId()),
                StorableText.text(message.parentUserId()), StorableText.text(message.username()),
                StorableText.text(message.countryCode()), StorableText.text(message.newUserId()));
    }

    /**
     * A message of type {@code edit} ({@code edit.original_message_id}, {@code edit.message}) or {@code revoke}
     * ({@code revoke.original_message_id}) as the change it makes to its original; null for any other message.
     */
    EditRow edit(InboundMessage message) {
        String kind = message.type();
        if (!"edit".equals(kind) && !"revoke".equals(kind)) {
            return null;
        }
        JsonNode body = message.raw().path(kind);
        String original = body.path("original_message_id").asText("");
        if (original.isEmpty() || !body.path("original_message_id").isTextual()) {
            return null;
        }
        String type = null;
        String content = null;
        String json = null;
        if ("edit".equals(kind)) {
            JsonNode edited = body.path("message");
            if (!edited.isObject()) {
                return null;
            }
            ObjectNode typed = ((ObjectNode) edited).deepCopy();
            if (!typed.path("type").isTextual()) {
                // Meta's edit.message may leave out its type: the one object it holds besides context
                for (String candidate : List.of("text", "image", "video", "document", "audio", "sticker")) {
                    if (typed.has(candidate)) {
                        typed.put("type", candidate);
                        break;
                    }
                }
            }
            type = StorableText.text(typed.path("type").asText(null));
            content = StorableText.text(ContentSummary.of(typed));
            json = json(edited);
        }
        return new EditRow(StorableText.text(message.id()), StorableText.text(original), kind, type, content, json,
                message.timestamp(), StorableText.text(message.routing().phoneNumberId()));
    }

    /** JSON text for a jsonb parameter; a NUL anywhere in the tree is stored as U+FFFD (jsonb refuses it). */
    String json(JsonNode node) {
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

    private void skippedWarning(String format, String type, String phoneNumberId) {
        long suppressed = throttle.admit("skipped");
        if (suppressed >= 0) {
            LOG.warnf(format + " (%d more skipped items not logged in the last minute)", LogValue.of(type),
                    LogValue.of(phoneNumberId), suppressed);
        }
    }
}
