package io.wagateway.conversation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.ConflictException;
import io.wagateway.common.Constraints;
import io.wagateway.common.Cursor;
import io.wagateway.common.FieldError;
import io.wagateway.common.InvalidInputException;
import io.wagateway.common.NotFoundException;
import io.wagateway.common.PageResponse;
import io.wagateway.common.UnknownReferenceException;
import io.wagateway.conversation.dto.MessageResponse;
import io.wagateway.graph.GraphClient;
import io.wagateway.graph.SentMessage;
import io.wagateway.media.MediaService;
import io.wagateway.settings.SettingsCredentials;
import io.wagateway.settings.SettingsService;
import io.wagateway.templates.TemplateGate;

/**
 * Messages of a conversation, and sending: validate, choose the business number, check the 24-hour window
 * (read-only session), call the Graph API with no database connection held, then store the result
 * (one transaction). Once Meta accepted a message the answer is never an error: a row that cannot be stored
 * is retried, then answered 202 with the wamid and written later (SendRepair).
 */
@ApplicationScoped
public class MessageService {

    private static final Logger LOG = Logger.getLogger(MessageService.class);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final MessageRepository messages;
    private final CustomerRepository customers;
    private final SessionRepository sessions;
    private final SettingsService settings;
    private final GraphClient graph;
    private final ConversationWrites writes;
    private final ObjectMapper mapper;
    private final SendRepair repair;
    private final TemplateGate templateGate;
    private final MediaService media;

    /** Attempts to store a sent message before answering; the first retry waits this long, the next four times. */
    static final int STORE_ATTEMPTS = 3;
    static final long STORE_RETRY_DELAY_MS = 50;

    public MessageService(MessageRepository messages, SessionRepository sessions, SettingsService settings,
            GraphClient graph, ConversationWrites writes, ObjectMapper mapper, SendRepair repair,
            CustomerRepository customers, TemplateGate templateGate, MediaService media) {
        this.media = media;
        this.customers = customers;
        this.messages = messages;
        this.sessions = sessions;
        this.settings = settings;
        this.graph = graph;
        this.writes = writes;
        this.mapper = mapper;
        this.repair = repair;
        this.templateGate = templateGate;
    }

    /** A send's answer: the message, and whether its row is stored (201) or will be written later (202). */
    public record SendOutcome(MessageResponse message, boolean stored) {
    }

    /** A send that passed every check: where it goes, through which number, and the exact body. */
    record SendPlan(SendRequest request, SettingsCredentials credentials, ObjectNode payload, String sessionKey) {

        SendPlan(SendRequest request, SettingsCredentials credentials, ObjectNode payload) {
            this(request, credentials, payload, request.to());
        }
    }

    /** A read receipt to send: the inbound message and the number it came in on. */
    record ReadPlan(UUID id, UUID sessionId, String wamid, SettingsCredentials credentials) {
    }

    /** One page of a session's messages, newest first; {@code direction} null for both. */
    @WithSession
    public Uni<PageResponse<MessageResponse>> listForSession(UUID sessionId, MessageDirection direction, Cursor after,
            int size) {
        return sessions.findById(sessionId).onItem().ifNull().failWith(() -> new NotFoundException("Session", sessionId))
                .flatMap(session -> messages.page(sessionId, direction, after, size + 1))
                .flatMap(rows -> {
                    Cursor.Slice<MessageRow> slice = Cursor.slice(rows, size, m -> new Cursor(m.createdAt(), m.id()));
                    return withMedia(slice.rows().stream().map(MessageService::toResponse).toList())
                            .map(items -> new PageResponse<>(items, slice.nextCursor()));
                });
    }

    /** Sends a message through the Graph API and stores it OUTBOUND with Meta's wamid. */
    public Uni<SendOutcome> send(JsonNode body) {
        return Uni.createFrom().item(() -> SendRequest.validate(body))
                .flatMap(this::plan)
                .call(plan -> templateGate.check(plan.credentials().businessId(),
                        plan.payload().path("to").asText("").replace("+", ""), plan.payload()))
                .flatMap(plan -> graph.send(plan.credentials().phoneNumberId(), plan.credentials().accessToken(),
                        plan.payload()).flatMap(sent -> storeAccepted(plan, sent)));
    }

    /**
     * Stores a message Meta accepted; never fails. A failed store is retried at once a few times; still failing,
     * the answer carries the wamid without a row id and SendRepair writes the row later.
     */
    Uni<SendOutcome> storeAccepted(SendPlan plan, SentMessage sent) {
        String phoneNumberId = plan.credentials().phoneNumberId();
        return repair.retry(() -> storeOnce(plan, sent), STORE_ATTEMPTS, STORE_RETRY_DELAY_MS)
                .map(stored -> new SendOutcome(stored, true))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Message wamid=%s was sent via phone_number_id=%s but could not be stored (%s); "
                            + "answering 202 and writing the row later", sent.wamid(), phoneNumberId,
                            SendRepair.describe(failure));
                    if (!SendRepair.isPermanent(failure)) {
                        long size = 2L * (sent.payload().toString().length() + String.valueOf(sent.contacts()).length())
                                + 1024;
                        repair.submit(sent.wamid(), phoneNumberId, size, () -> storeOnce(plan, sent));
                    } else {
                        LOG.errorf("Message wamid=%s was sent via phone_number_id=%s but PostgreSQL refuses its row "
                                + "(%s): the row is lost", sent.wamid(), phoneNumberId, SendRepair.describe(failure));
                    }
                    return new SendOutcome(unstored(plan, sent), false);
                });
    }

    /** One store; a unique violation on the wamid means an earlier attempt committed after all. */
    Uni<MessageResponse> storeOnce(SendPlan plan, SentMessage sent) {
        return store(plan, sent)
                .onFailure(f -> Constraints.isUniqueViolation(f, ConversationWrites.WAMID_KEY))
                .recoverWithUni(f -> storedRow(sent.wamid()));
    }

    @WithSession
    Uni<MessageResponse> storedRow(String wamid) {
        return messages.findRowByWamid(wamid).onItem().ifNull()
                .failWith(() -> new IllegalStateException("no row for the wamid after a unique violation"))
                .map(MessageService::toResponse).chain(this::withMedia);
    }

    /** The answer for a message Meta accepted whose row is not written yet: no row or session id. */
    private MessageResponse unstored(SendPlan plan, SentMessage sent) {
        return new MessageResponse(null, sent.wamid(), null, MessageDirection.OUTBOUND, plan.request().type(),
                ContentSummary.of(sent.payload()), MessageStatus.ACCEPTED.wireName(),
                metadata(sent), Instant.now().truncatedTo(ChronoUnit.MICROS), null, null, null);
    }

    /** Marks an inbound message as read at Meta (through the number it came in on), then stores status read. */
    public Uni<MessageResponse> markRead(String wamid) {
        return planRead(wamid)
                .flatMap(plan -> graph.markRead(plan.credentials().phoneNumberId(), plan.credentials().accessToken(),
                        wamid).replaceWith(plan))
                .flatMap(this::storeRead);
    }

    @WithSession
    Uni<SendPlan> plan(SendRequest request) {
        if (request.recipient() == null) {
            return plan(request, request.to(), null);
        }
        // a BSUID: the customer who holds it, under their key (the phone once known, sent as to; else the BSUID,
        // sent as Meta's recipient field)
        return customers.find("userId", request.recipient()).firstResult().flatMap(customer -> {
            String key = customer == null ? request.recipient() : customer.waId;
            return plan(request, key, key.equals(request.recipient()) ? request.recipient() : null);
        });
    }

    private Uni<SendPlan> plan(SendRequest request, String key, String bsuidOnly) {
        return sessions.findByPhoneNumber(key).flatMap(session -> {
            if (!request.isTemplate() && (session == null
                    || !SessionWindow.isOpen(session.lastInboundAt, Instant.now()))) {
                throw new ConflictException("Customer service window closed", windowClosedDetail(session));
            }
            String sessionNumber = session == null ? null : session.phoneNumberId;
            return credentials(request.phoneNumberId(), sessionNumber, true)
                    .map(credentials -> new SendPlan(request, credentials, bsuidOnly != null
                            ? GraphClient.payloadForRecipient(request.body(), bsuidOnly)
                            : GraphClient.payload(request.body(), key), key));
        });
    }

    /**
     * One transaction through the conversation writer, answered as the admin API shows the row: built from what was
     * written and what the statement returned (id, session, status after any kept webhook status), so a send does
     * not read its row back.
     */
    Uni<MessageResponse> store(SendPlan plan, SentMessage sent) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> metadata = metadata(sent);
        String content = ContentSummary.of(sent.payload());
        ConversationWrites.OutboundRow row = new ConversationWrites.OutboundRow(plan.sessionKey(),
                plan.credentials().phoneNumberId(), sent.wamid(), plan.request().type(), content,
                JsonText.of(mapper, metadata), MessageStatus.ACCEPTED, now);
        return writes.storeOutbound(row).chain(stored -> withMedia(new MessageResponse(stored.id(), sent.wamid(),
                stored.sessionId(), MessageDirection.OUTBOUND, plan.request().type(), content, stored.status(),
                metadata, now, null, null, null)));
    }

    @WithSession
    Uni<ReadPlan> planRead(String wamid) {
        return messages.findReadTarget(wamid)
                .onItem().ifNull().failWith(() -> new NotFoundException("Message", "wamid", wamid))
                .flatMap(message -> {
                    if (message.direction() != MessageDirection.INBOUND) {
                        throw new ConflictException("Not an inbound message",
                                "Only messages from customers can be marked as read; " + wamid + " is OUTBOUND.");
                    }
                    String number = message.phoneNumberId() != null ? message.phoneNumberId()
                            : message.sessionPhoneNumberId();
                    return credentials(number, null, false)
                            .map(c -> new ReadPlan(message.id(), message.sessionId(), wamid, c));
                });
    }

    Uni<MessageResponse> storeRead(ReadPlan plan) {
        return writes.markRead(plan.id(), Instant.now().truncatedTo(ChronoUnit.MICROS))
                .chain(() -> storedRow(plan.id()));
    }

    @WithSession
    Uni<MessageResponse> storedRow(UUID id) {
        return messages.findRow(id).map(MessageService::toResponse).chain(this::withMedia);
    }

    /**
     * The business number to use: the requested one, else the session's (if still active), else the only
     * active one. Several active and none chosen is invalid input; none active is a conflict.
     */
    private Uni<SettingsCredentials> credentials(String requested, String sessionNumber, boolean requestedByClient) {
        if (requested != null) {
            return settings.activeCredentials(requested).onItem().ifNull().failWith(() -> requestedByClient
                    ? new UnknownReferenceException("Unknown business number",
                            "No active settings row for phoneNumberId " + requested + "; add or activate it via "
                                    + "/api/v1/settings.",
                            new FieldError("phoneNumberId", "no active settings row"))
                    : new ConflictException("Business number inactive", "The message came in on phone number id "
                            + requested + ", which has no active settings row; activate it via /api/v1/settings."));
        }
        Uni<SettingsCredentials> fromSession = sessionNumber == null ? Uni.createFrom().nullItem()
                : settings.activeCredentials(sessionNumber);
        return fromSession.flatMap(found -> found != null ? Uni.createFrom().item(found)
                : settings.activeCredentials().map(active -> {
                    if (active.size() == 1) {
                        return active.get(0);
                    }
                    if (active.isEmpty()) {
                        throw new ConflictException("No business number",
                                "No active settings row: add a business number via /api/v1/settings first.");
                    }
                    throw new InvalidInputException("Business number required",
                            active.size() + " business numbers are active; choose one with phoneNumberId.",
                            List.of(new FieldError("phoneNumberId", "required when several business numbers are active")));
                }));
    }

    private Map<String, Object> metadata(SentMessage sent) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("payload", mapper.convertValue(sent.payload(), JSON_OBJECT));
        if (sent.contacts() != null && !sent.contacts().isMissingNode()) {
            metadata.put("contacts", mapper.convertValue(sent.contacts(), Object.class));
        }
        if (sent.messageStatus() != null) {
            metadata.put("message_status", sent.messageStatus());
        }
        return metadata;
    }

    private static String windowClosedDetail(WhatsAppSession session) {
        String when = session == null ? "The customer has never written to this business."
                : session.lastInboundAt == null ? "The customer has never written to this business."
                        : "The window closed at " + SessionWindow.expiresAt(session.lastInboundAt) + ".";
        return when + " Outside the 24-hour customer service window only approved templates can be sent "
                + "(type \"template\"); the window reopens when the customer writes again. Nothing was sent.";
    }

    static MessageResponse toResponse(MessageRow m) {
        return new MessageResponse(m.id(), m.wamid(), m.sessionId(), m.direction(), m.messageType(), m.content(),
                m.status(), m.metadata(), m.createdAt(), m.editedAt(), m.revokedAt(), null);
    }

    /** What identifies a message's media: an inbound message's own job, an outbound one's uploaded media id. */
    static MediaService.MediaRef mediaRef(MessageResponse m) {
        String mediaId = null;
        if (m.direction() == MessageDirection.OUTBOUND && m.metadata() != null
                && m.metadata().get("payload") instanceof Map<?, ?> payload
                && payload.get(m.messageType()) instanceof Map<?, ?> body && body.get("id") instanceof String id) {
            mediaId = id;
        }
        return new MediaService.MediaRef(m.id(), m.messageType(), mediaId);
    }

    /** The messages with their media (one query for the page, none when no message carries a file). */
    Uni<List<MessageResponse>> withMedia(List<MessageResponse> page) {
        if (page.stream().noneMatch(m -> MediaService.MEDIA_TYPES.contains(m.messageType()))) {
            return Uni.createFrom().item(page);
        }
        return media.infos(page.stream().map(MessageService::mediaRef).toList())
                .map(infos -> page.stream().map(m -> m.withMedia(m.id() == null ? null : infos.get(m.id()))).toList());
    }

    Uni<MessageResponse> withMedia(MessageResponse m) {
        return withMedia(List.of(m)).map(list -> list.get(0));
    }

    /** The file of message {@code id} (GET /api/v1/messages/{id}/media), whole or the requested range. */
    public Uni<MediaService.Download> media(UUID id, String range) {
        return storedRowOrNull(id).onItem().ifNull().failWith(() -> new NotFoundException("Message", id))
                .chain(row -> media.download(mediaRef(toResponse(row)), range));
    }

    @WithSession
    Uni<MessageRow> storedRowOrNull(UUID id) {
        return messages.findRow(id);
    }
}
