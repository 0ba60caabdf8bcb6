package io.wagateway.conversation;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.ApiConfig;
import io.wagateway.common.Cursor;
import io.wagateway.common.PageResponse;
import io.wagateway.common.Problem;
import io.wagateway.common.ProblemException;
import io.wagateway.conversation.dto.CustomerProfileSummary;
import io.wagateway.conversation.dto.LastMessage;
import io.wagateway.conversation.dto.PatchSessionRequest;
import io.wagateway.conversation.dto.SessionResponse;

/** Conversations: listing, the 24-hour window, state changes by the host application, deletion. */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final SessionRepository sessions;
    private final MessageRepository messages;
    private final ConversationWrites writes;
    private final ObjectMapper mapper;
    private final long contextDataMaxBytes;

    public SessionService(SessionRepository sessions, MessageRepository messages, ConversationWrites writes,
            ObjectMapper mapper, ApiConfig api) {
        this.sessions = sessions;
        this.messages = messages;
        this.writes = writes;
        this.mapper = mapper;
        this.contextDataMaxBytes = api.contextDataMaxSize().asLongValue();
    }

    @WithSession
    public Uni<PageResponse<SessionResponse>> list(String phoneNumber, String state, String updatedSince, String cursor,
            Integer limit) {
        int size = Cursor.limit(limit);
        SessionRepository.Filter filter = new SessionRepository.Filter(phoneFilter(phoneNumber), parseState(state),
                parseInstant(updatedSince));
        return sessions.page(filter, Cursor.decode(cursor), size + 1).flatMap(rows -> {
            Cursor.Slice<WhatsAppSession> slice = Cursor.slice(rows, size, s -> new Cursor(s.updatedAt, s.id));
            List<WhatsAppSession> page = slice.rows();
            // One query for the latest message of every session on the page (no N+1).
            return messages.latestOfSessions(page.stream().map(s -> s.id).toList()).map(latest -> {
                Instant now = Instant.now();
                return new PageResponse<>(page.stream().map(s -> toResponse(s, latest.get(s.id), now)).toList(),
                        slice.nextCursor());
            });
        });
    }

    @WithSession
    public Uni<SessionResponse> get(UUID id) {
        return find(id).flatMap(this::withLastMessage);
    }

    /** Sets state and/or context data through the conversation writer; every PATCH touches updatedAt. */
    public Uni<SessionResponse> patch(UUID id, PatchSessionRequest request) {
        SessionState state = parseState(request.state());
        Map<String, Object> context = contextData(request.contextData());
        boolean replaceContext = request.contextData() != null;
        return writes.updateSession(id, state, replaceContext, replaceContext ? json(context) : null,
                Instant.now().truncatedTo(ChronoUnit.MICROS))
                .invoke(found -> {
                    if (!found) {
                        throw ProblemException.notFound("Session", id);
                    }
                    LOG.infof("Session %s updated (state=%s, contextData %s)", id, state == null ? "kept" : state,
                            replaceContext ? "replaced" : "kept");
                })
                .chain(() -> get(id));
    }

    public Uni<Void> delete(UUID id) {
        // Messages go with it (ON DELETE CASCADE); their tombstones stay, so Meta's retries do not bring it back.
        return writes.deleteSession(id).invoke(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("Session", id);
            }
            LOG.infof("Session %s deleted with its messages", id);
        }).replaceWithVoid();
    }

    private String json(Map<String, Object> value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Uni<WhatsAppSession> find(UUID id) {
        return sessions.findWithProfile(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Session", id));
    }

    private Uni<SessionResponse> withLastMessage(WhatsAppSession session) {
        return messages.latestOfSessions(List.of(session.id))
                .map(latest -> toResponse(session, latest.get(session.id), Instant.now()));
    }

    static SessionResponse toResponse(WhatsAppSession s, MessageRow last, Instant now) {
        CustomerProfile p = s.customerProfile;
        return new SessionResponse(s.id, s.phoneNumber, s.state, s.contextData,
                p == null ? null : new CustomerProfileSummary(p.id, p.waId, p.displayName),
                s.lastMessageAt, SessionWindow.isOpen(s.lastInboundAt, now), SessionWindow.expiresAt(s.lastInboundAt),
                s.createdAt, s.updatedAt,
                last == null ? null
                        : new LastMessage(last.id(), last.wamid(), last.direction(), last.messageType(),
                                last.content(), last.status(), last.createdAt()));
    }

    /** A phone number as sessions store it: digits only ({@code +1 (650) 555-1234} -> {@code 16505551234}). */
    public static String normalizePhone(String phone) {
        return phone == null ? null : phone.replaceAll("[\\s+()\\-.]", "");
    }

    private static String phoneFilter(String phoneNumber) {
        if (phoneNumber == null || phoneNumber.isBlank()) {
            return null;
        }
        String digits = normalizePhone(phoneNumber);
        if (!digits.matches("\\d{1,32}")) {
            throw field(400, "phoneNumber", "must be a phone number (digits, optionally +, spaces, -, ())");
        }
        return digits;
    }

    private static SessionState parseState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return SessionState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw field(400, "state", "unknown state '" + state + "'; one of " + Arrays.toString(SessionState.values()));
        }
    }

    private static Instant parseInstant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant at;
        try {
            at = java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw field(400, "updatedSince", "must be an ISO-8601 date-time with offset, e.g. 2026-11-25T13:00:00Z");
        }
        if (!Cursor.storable(at)) {
            throw field(400, "updatedSince", "must lie between years 0001 and 9999");
        }
        return at;
    }

    private Map<String, Object> contextData(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw field(400, "contextData", "must be a JSON object");
        }
        // Depth is bounded for every JSON body (gateway.api.json-max-depth); size and NUL only here.
        if (holdsNul(node)) {
            throw field(400, "contextData", "must not contain U+0000 (NUL) in a key or string (PostgreSQL cannot store it)");
        }
        int size;
        try {
            size = mapper.writeValueAsBytes(node).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (size > contextDataMaxBytes) {
            throw field(400, "contextData", "is " + size + " bytes as JSON; at most " + contextDataMaxBytes
                    + " (gateway.api.context-data-max-size)");
        }
        return mapper.convertValue(node, JSON_OBJECT);
    }

    private static boolean holdsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        for (var fields = node.fields(); fields.hasNext();) {
            var entry = fields.next();
            if (entry.getKey().indexOf('\0') >= 0 || holdsNul(entry.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (holdsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ProblemException field(int status, String field, String message) {
        return new ProblemException(new Problem("about:blank", "Validation failed", status, field + ": " + message,
                null, null, null, List.of(new Problem.FieldError(field, message))));
    }
}
