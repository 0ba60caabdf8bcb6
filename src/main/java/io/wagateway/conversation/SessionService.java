package io.wagateway.conversation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import io.wagateway.common.Cursor;
import io.wagateway.common.NotFoundException;
import io.wagateway.common.PageResponse;
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

    public SessionService(SessionRepository sessions, MessageRepository messages, ConversationWrites writes,
            ObjectMapper mapper) {
        this.sessions = sessions;
        this.messages = messages;
        this.writes = writes;
        this.mapper = mapper;
    }

    /**
     * One page of sessions, most recently updated first.
     *
     * @param phoneNumber digits only (see {@link #normalizePhone}), or null for every number
     */
    @WithSession
    public Uni<PageResponse<SessionResponse>> list(String phoneNumber, SessionState state, Instant updatedSince,
            Cursor after, int size) {
        return list(new SessionRepository.Filter(phoneNumber, state, updatedSince), after, size);
    }

    /** The same, also filtered by the customer's BSUID and username (null: not filtered). */
    @WithSession
    public Uni<PageResponse<SessionResponse>> list(String phoneNumber, String userId, String username,
            SessionState state, Instant updatedSince, Cursor after, int size) {
        return list(new SessionRepository.Filter(phoneNumber, state, updatedSince, userId, username), after, size);
    }

    private Uni<PageResponse<SessionResponse>> list(SessionRepository.Filter filter, Cursor after, int size) {
        return sessions.page(filter, after, size + 1).flatMap(rows -> {
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
        SessionState state = request.state();
        Map<String, Object> context = contextData(request.contextData());
        boolean replaceContext = request.contextData() != null;
        return writes.updateSession(id, state, replaceContext, replaceContext ? JsonText.of(mapper, context) : null,
                Instant.now().truncatedTo(ChronoUnit.MICROS))
                .invoke(found -> {
                    if (!found) {
                        throw new NotFoundException("Session", id);
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
                throw new NotFoundException("Session", id);
            }
            LOG.infof("Session %s deleted with its messages", id);
        }).replaceWithVoid();
    }

    private Uni<WhatsAppSession> find(UUID id) {
        return sessions.findWithProfile(id).onItem().ifNull().failWith(() -> new NotFoundException("Session", id));
    }

    private Uni<SessionResponse> withLastMessage(WhatsAppSession session) {
        return messages.latestOfSessions(List.of(session.id))
                .map(latest -> toResponse(session, latest.get(session.id), Instant.now()));
    }

    static SessionResponse toResponse(WhatsAppSession s, MessageRow last, Instant now) {
        CustomerProfile p = s.customerProfile;
        return new SessionResponse(s.id, s.phoneNumber, s.state, s.contextData,
                p == null ? null : new CustomerProfileSummary(p.id, p.waId, p.displayName, p.userId, p.username),
                s.lastMessageAt, SessionWindow.isOpen(s.lastInboundAt, now), SessionWindow.expiresAt(s.lastInboundAt),
                s.createdAt, s.updatedAt,
                last == null ? null
                        : new LastMessage(last.id(), last.wamid(), last.direction(), last.messageType(),
                                last.content(), last.status(), last.createdAt()));
    }

    /**
     * A phone number as sessions store it: digits only ({@code +1 (650) 555-1234} -> {@code 16505551234}); null or
     * blank is null.
     */
    public static String normalizePhone(String phone) {
        return phone == null || phone.isBlank() ? null : phone.replaceAll("[\\s+()\\-.]", "");
    }

    /** contextData as stored; PatchSessionRequest's constraint has checked that it is an object that fits. */
    private Map<String, Object> contextData(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return mapper.convertValue(node, JSON_OBJECT);
    }
}
