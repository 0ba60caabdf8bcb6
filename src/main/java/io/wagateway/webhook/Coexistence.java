package io.wagateway.webhook;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.wagateway.conversation.ContentSummary;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.ConversationWrites.CoexistenceRow;
import io.wagateway.conversation.EditRow;
import io.wagateway.conversation.MessageDirection;
import io.wagateway.conversation.MessageStatus;
import io.wagateway.conversation.MessagesConfig;
import io.wagateway.events.EventSignal;
import io.wagateway.webhook.WebhookSecrets.Signer;
import io.wagateway.webhook.payload.Delivery;
import io.wagateway.webhook.payload.InboundMessage;
import io.wagateway.webhook.payload.Keys;
import io.wagateway.webhook.payload.Routing;

/**
 * The WhatsApp Business app on the same number (coexistence) and the customer's change of phone:
 * <ul>
 * <li>{@code smb_message_echoes}: each echo is an OUTBOUND message of the customer's session (the echo's {@code to},
 * BSUID {@code to_user_id}), {@code metadata.source = business_app}, with whatsapp.message.sent; echoed edits and
 * revokes apply to their original as inbound ones do. Stored before the answer, once (wamid).</li>
 * <li>{@code history}: each {@code history[]} item is kept whole ({@link HistoryChunks}) before the answer and
 * imported right after by {@link HistoryImport}; a decline ({@code errors}) is recorded.</li>
 * <li>{@code user_changed_number} system messages: the customer takes the new phone ({@code system.wa_id}) once the
 * message is stored.</li>
 * </ul>
 * Read from the verified body like the template fields (DeliveryParser is left as it is), routed by the signer.
 */
@ApplicationScoped
public class Coexistence {

    private static final Logger LOG = Logger.getLogger(Coexistence.class);

    static final String ECHOES = "smb_message_echoes";
    static final String HISTORY = "history";
    /** The webhook fields handled here. */
    static final Set<String> FIELDS = Set.of(ECHOES, HISTORY);
    /** metadata.source of an echo: sent by the business from the WhatsApp Business app. */
    public static final String BUSINESS_APP = "business_app";
    /** The body of a user_changed_number system message: the old and the new phone. */
    private static final java.util.regex.Pattern CHANGED_NUMBER = java.util.regex.Pattern
            .compile("changed from \\+?([0-9][0-9 ()-]*[0-9]) to \\+?([0-9][0-9 ()-]*[0-9])");
    /** metadata.source of an imported history message. */
    public static final String IMPORTED = "history";

    private final ObjectMapper mapper;
    private final InboundRows rows;
    private final ConversationWrites writes;
    private final Pool pool;
    private final MessagesConfig messages;
    private final HistoryChunks chunks;
    private final EventSignal events;
    private final WebhookConfig config;

    public Coexistence(ObjectMapper mapper, InboundRows rows, ConversationWrites writes, Pool pool,
            MessagesConfig messages, HistoryChunks chunks, EventSignal events, WebhookConfig config) {
        this.config = config;
        this.mapper = mapper;
        this.rows = rows;
        this.writes = writes;
        this.pool = pool;
        this.messages = messages;
        this.chunks = chunks;
        this.events = events;
    }

    /** What a delivery's coexistence fields hold. */
    record Items(List<CoexistenceRow> echoes, List<EditRow> edits, List<HistoryChunks.Chunk> chunks) {
    }

    /**
     * Stores the echoes and keeps the history chunks of a verified delivery whose fields include them (the signer's
     * numbers only); how many echoes were stored now. Fails when the database does, so the delivery is answered for a
     * retry.
     */
    public Uni<Integer> apply(byte[] body, List<String> fields, Signer signer, Instant arrival) {
        if (fields.stream().noneMatch(FIELDS::contains)) {
            return Uni.createFrom().item(0);
        }
        Items items;
        try {
            items = items(mapper.readTree(body), signer, arrival);
        } catch (IOException e) {
            return Uni.createFrom().item(0);
        }
        Uni<Integer> chain = Uni.createFrom().item(0);
        if (!items.echoes().isEmpty() || !items.edits().isEmpty()) {
            chain = ConversationWrites.retryingConflicts(pool.withTransaction(tx -> writes
                    .storeCoexistence(tx, items.echoes()).call(() -> applyEdits(tx, items.edits()))))
                    .invoke(stored -> events.committed());
        }
        if (!items.chunks().isEmpty()) {
            chain = chain.call(() -> chunks.keep(items.chunks()));
        }
        return chain;
    }

    private Uni<Void> applyEdits(io.vertx.mutiny.sqlclient.SqlClient tx, List<EditRow> edits) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (EditRow edit : edits) {
            chain = chain.chain(() -> writes.applyEdit(tx, edit, messages.keepRevokedContent()).replaceWithVoid());
        }
        return chain;
    }

    /**
     * Records the changes of phone of the {@code user_changed_number} system messages of a stored delivery: the old
     * phone is the sender ({@code from}), the new one {@code system.wa_id} ({@code new_wa_id} in older payloads);
     * the body's "changed from &lt;old&gt; to &lt;new&gt;" stands in for a missing one.
     */
    public Uni<Void> changePhones(Delivery delivery) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (InboundMessage message : delivery.messages()) {
            JsonNode system = message.raw().path("system");
            if (!"user_changed_number".equals(system.path("type").asText())) {
                continue;
            }
            String oldPhone = StorableText.text(message.raw().path("from").asText(""));
            String newPhone = StorableText.text(system.path("wa_id").asText(""));
            if (newPhone.isEmpty()) {
                // the field's name in Meta's older documentation
                newPhone = StorableText.text(system.path("new_wa_id").asText(""));
            }
            java.util.regex.Matcher body = CHANGED_NUMBER.matcher(system.path("body").asText(""));
            if (body.find()) {
                // "User <name> changed from <old> to <new>": the phones when a field is missing
                oldPhone = oldPhone.isEmpty() ? digits(body.group(1)) : oldPhone;
                newPhone = newPhone.isEmpty() ? digits(body.group(2)) : newPhone;
            }
            if (oldPhone.isEmpty() || newPhone.isEmpty() || !Keys.fits(oldPhone) || !Keys.fits(newPhone)) {
                continue;
            }
            String from = oldPhone;
            String to = newPhone;
            chain = chain.chain(() -> writes.changePhone(from, to, message.routing().phoneNumberId())
                    .invoke(changed -> {
                        if (changed) {
                            LOG.debugf("A customer changed their phone number (phone_number_id=%s)",
                                    LogValue.of(message.routing().phoneNumberId()));
                        }
                    }).replaceWithVoid());
        }
        return chain;
    }

    Items items(JsonNode root, Signer signer, Instant arrival) {
        List<CoexistenceRow> echoes = new ArrayList<>();
        List<EditRow> edits = new ArrayList<>();
        List<HistoryChunks.Chunk> kept = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            String wabaId = text(entry, "id");
            for (JsonNode change : entry.path("changes")) {
                String field = text(change, "field");
                if (!FIELDS.contains(field)) {
                    continue;
                }
                JsonNode value = change.path("value");
                JsonNode metadata = value.path("metadata");
                Routing routing = new Routing(wabaId, text(metadata, "phone_number_id"),
                        text(metadata, "display_phone_number"));
                if (routing.phoneNumberId() == null || !Keys.fits(routing.phoneNumberId())
                        || !signer.owns(wabaId, routing.phoneNumberId())) {
                    LOG.debugf("Acknowledged a %s change for phone_number_id %s without storing it: the delivery's "
                            + "signer does not sign for it", field, LogValue.of(routing.phoneNumberId()));
                    continue;
                }
                if (ECHOES.equals(field)) {
                    for (JsonNode echo : value.path("message_echoes")) {
                        echo(routing, value.path("contacts"), echo, arrival, echoes, edits);
                    }
                } else {
                    for (JsonNode item : value.path("history")) {
                        if (item.isObject()) {
                            kept.add(chunk(routing, item));
                        }
                    }
                }
            }
        }
        return new Items(echoes, edits, kept);
    }

    private void echo(Routing routing, JsonNode contacts, JsonNode echo, Instant arrival, List<CoexistenceRow> out,
            List<EditRow> edits) {
        String wamid = nonEmpty(text(echo, "id"));
        String phone = nonEmpty(text(echo, "to"));
        String userId = nonEmpty(text(echo, "to_user_id"));
        if (userId == null) {
            userId = nonEmpty(text(echo, "recipient_user_id"));
        }
        if (wamid == null || (phone == null && userId == null) || !Keys.fits(wamid) || !Keys.fits(phone)
                || !Keys.fits(userId)) {
            LOG.debugf("Skipping a message echo without id or recipient (phone_number_id=%s)",
                    LogValue.of(routing.phoneNumberId()));
            return;
        }
        String username = null;
        for (JsonNode contact : contacts) {
            if ((phone != null && phone.equals(text(contact, "wa_id")))
                    || (userId != null && userId.equals(text(contact, "user_id")))) {
                username = nonEmpty(text(contact.path("profile"), "username"));
                if (username == null) {
                    username = nonEmpty(text(contact, "username"));
                }
                break;
            }
        }
        Instant at = timestamp(echo.path("timestamp"), arrival);
        if (at.isBefore(arrival.minus(config.staleAfter()))) {
            // as for inbound messages: older than Meta's retry horizon, so no retry of an echo we must keep
            LOG.debugf("Acknowledged without storing a message echo older than gateway.whatsapp.stale-after "
                    + "(phone_number_id=%s)", LogValue.of(routing.phoneNumberId()));
            return;
        }
        String type = nonEmpty(text(echo, "type"));
        if ("edit".equals(type) || "revoke".equals(type)) {
            EditRow edit = rows.edit(new InboundMessage(routing, wamid, phone != null ? phone : userId,
                    phone != null ? phone : userId, null, type, at, echo));
            if (edit != null && Keys.fits(edit.originalWamid())) {
                edits.add(edit);
            }
            return;
        }
        ObjectNode metadata = metadata(routing, BUSINESS_APP, phone, userId, username, echo);
        out.add(new CoexistenceRow(StorableText.text(phone), StorableText.text(userId),
                StorableText.text(nonEmpty(text(echo, "to_parent_user_id"))), StorableText.text(username),
                StorableText.text(routing.phoneNumberId()), at, StorableText.text(wamid), MessageDirection.OUTBOUND,
                StorableText.text(ContentSummary.of(echo)), StorableText.text(type == null ? "unknown" : type),
                rows.json(metadata), MessageStatus.SENT, null, "whatsapp.message.sent"));
    }

    private HistoryChunks.Chunk chunk(Routing routing, JsonNode item) {
        JsonNode metadata = item.path("metadata");
        JsonNode errors = item.path("errors");
        int count = 0;
        for (JsonNode thread : item.path("threads")) {
            count += thread.path("messages").size();
        }
        return new HistoryChunks.Chunk(StorableText.text(routing.phoneNumberId()),
                StorableText.text(routing.wabaId()), StorableText.text(routing.displayPhoneNumber()),
                integer(metadata.path("phase")), integer(metadata.path("chunk_order")),
                integer(metadata.path("progress")), rows.json(item),
                errors.isArray() && !errors.isEmpty() ? rows.json(errors) : null, count);
    }

    /**
     * The messages of a kept history chunk from position {@code from} (payload order: thread by thread) up to
     * {@code to}, as rows: the customer is the thread's {@code id} (a phone, or a BSUID when withheld); a message
     * from the customer is INBOUND, one from the business OUTBOUND; their original timestamps (a missing or
     * implausible one: the chunk's arrival). Messages without id are left out (their positions still count).
     */
    List<CoexistenceRow> historyRows(JsonNode item, String wabaId, String phoneNumberId, String displayPhoneNumber,
            Instant received, int from, int to) {
        List<CoexistenceRow> out = new ArrayList<>();
        Routing routing = new Routing(wabaId, phoneNumberId, displayPhoneNumber);
        JsonNode chunkMetadata = item.path("metadata");
        String business = digits(displayPhoneNumber);
        int position = 0;
        for (JsonNode thread : item.path("threads")) {
            JsonNode threadMessages = thread.path("messages");
            if (position + threadMessages.size() <= from) {
                position += threadMessages.size();
                continue;
            }
            String threadId = nonEmpty(text(thread, "id"));
            String threadUser = nonEmpty(text(thread, "user_id"));
            String threadPhone = threadId;
            if (threadId != null && !digits(threadId).equals(threadId)) {
                // a thread of a customer whose phone is withheld is named by the BSUID
                threadUser = threadUser == null ? threadId : threadUser;
                threadPhone = null;
            }
            for (JsonNode message : threadMessages) {
                int at = position++;
                if (at < from) {
                    continue;
                }
                if (at >= to) {
                    return out;
                }
                CoexistenceRow row = historyRow(routing, chunkMetadata, business, threadPhone, threadUser, message,
                        received);
                if (row != null) {
                    out.add(row);
                }
            }
        }
        return out;
    }

    private CoexistenceRow historyRow(Routing routing, JsonNode chunkMetadata, String business, String threadPhone,
            String threadUser, JsonNode message, Instant received) {
        String wamid = nonEmpty(text(message, "id"));
        if (wamid == null || !Keys.fits(wamid)) {
            return null;
        }
        String from = nonEmpty(text(message, "from"));
        String fromUser = nonEmpty(text(message, "from_user_id"));
        String to = nonEmpty(text(message, "to"));
        String toUser = nonEmpty(text(message, "to_user_id"));
        boolean inbound;
        if (threadPhone != null || threadUser != null) {
            inbound = (from != null && from.equals(threadPhone)) || (fromUser != null && fromUser.equals(threadUser));
        } else {
            inbound = !(to != null || (from != null && digits(from).equals(business)));
        }
        String phone = threadPhone != null ? threadPhone : inbound ? from : to;
        String userId = threadUser != null ? threadUser : inbound ? fromUser : toUser;
        if (phone != null && !digits(phone).equals(phone)) {
            userId = userId == null ? phone : userId;
            phone = null;
        }
        if ((phone == null && userId == null) || !Keys.fits(phone) || !Keys.fits(userId)) {
            return null;
        }
        MessageStatus status = null;
        if (!inbound) {
            status = MessageStatus.fromWire(text(message.path("history_context"), "status"));
            status = status == null ? MessageStatus.SENT : status;
        }
        String type = nonEmpty(text(message, "type"));
        ObjectNode metadata = metadata(routing, IMPORTED, phone, userId, null, message);
        metadata.set("phase", chunkMetadata.path("phase").isMissingNode() ? null : chunkMetadata.get("phase"));
        metadata.set("chunkOrder",
                chunkMetadata.path("chunk_order").isMissingNode() ? null : chunkMetadata.get("chunk_order"));
        Instant at = timestamp(message.path("timestamp"), received);
        return new CoexistenceRow(StorableText.text(phone), StorableText.text(userId), null, null,
                StorableText.text(routing.phoneNumberId()), at, StorableText.text(wamid),
                inbound ? MessageDirection.INBOUND : MessageDirection.OUTBOUND,
                StorableText.text(ContentSummary.of(message)), StorableText.text(type == null ? "unknown" : type),
                rows.json(metadata), status, at, null);
    }

    private ObjectNode metadata(Routing routing, String source, String phone, String userId, String username,
            JsonNode raw) {
        ObjectNode metadata = mapper.createObjectNode();
        metadata.put("source", source);
        metadata.put("wabaId", routing.wabaId());
        metadata.put("phoneNumberId", routing.phoneNumberId());
        metadata.put("displayPhoneNumber", routing.displayPhoneNumber());
        metadata.put("contactWaId", phone != null ? phone : userId);
        if (userId != null) {
            metadata.put("contactUserId", userId);
            metadata.put("contactUsername", username);
        }
        metadata.set("message", raw);
        return metadata;
    }

    /** Meta's Unix seconds (string or number); {@code fallback} when missing or before 2009 or over a day ahead. */
    static Instant timestamp(JsonNode node, Instant fallback) {
        long seconds;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            seconds = node.longValue();
        } else if (node.isTextual() && !node.textValue().isBlank() && node.textValue().trim().length() <= 19) {
            try {
                seconds = Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        } else {
            return fallback;
        }
        if (seconds < 1_230_768_000L || seconds > fallback.plusSeconds(86_400).getEpochSecond()) {
            return fallback;
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static Integer integer(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                return Integer.valueOf(node.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String digits(String value) {
        return value == null ? "" : value.replaceAll("[^0-9]", "");
    }

    private static String nonEmpty(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
