package io.wagateway.conversation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.Cursor;

@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<WhatsAppMessage, UUID> {

    /** One page of a session's messages, newest first (created_at desc, id desc), after {@code after} when given. */
    public Uni<List<MessageRow>> page(UUID sessionId, MessageDirection direction, Cursor after, int limit) {
        StringBuilder query = new StringBuilder(MessageRow.SELECT).append("where m.session.id = :session");
        Map<String, Object> params = new HashMap<>();
        params.put("session", sessionId);
        if (direction != null) {
            query.append(" and m.direction = :direction");
            params.put("direction", direction);
        }
        if (after != null) {
            // Row comparison, so PostgreSQL starts the index scan at the cursor (an OR form filters from the top).
            query.append(" and (m.createdAt, m.id) < (:at, :id)");
            params.put("at", after.at());
            params.put("id", after.id());
        }
        query.append(" order by m.createdAt desc, m.id desc");
        return getSession().flatMap(session -> {
            var q = session.createQuery(query.toString(), MessageRow.class).setMaxResults(limit);
            params.forEach(q::setParameter);
            return q.getResultList();
        });
    }

    public Uni<MessageRow> findRow(UUID id) {
        return getSession().flatMap(session -> session.createQuery(MessageRow.SELECT + "where m.id = :id",
                MessageRow.class).setParameter("id", id).getSingleResultOrNull());
    }

    /** The message with this wamid; null when unknown. */
    public Uni<MessageRow> findRowByWamid(String wamid) {
        return getSession().flatMap(session -> session.createQuery(MessageRow.SELECT + "where m.wamid = :wamid",
                MessageRow.class).setParameter("wamid", wamid).getSingleResultOrNull());
    }

    /** The message with this wamid, as far as a read receipt needs it; null when unknown. */
    Uni<ReadTarget> findReadTarget(String wamid) {
        return getSession().flatMap(session -> session.createQuery("""
                select new io.wagateway.conversation.ReadTarget(m.id, s.id, m.direction, m.phoneNumberId, s.phoneNumberId)
                  from WhatsAppMessage m join m.session s where m.wamid = :wamid""", ReadTarget.class)
                .setParameter("wamid", wamid).getSingleResultOrNull());
    }

    /**
     * The latest message of each given session, keyed by session id: one LATERAL query over the
     * (session_id, created_at desc, id desc) index for the ids, one query for the rows; never one per session.
     */
    public Uni<Map<UUID, MessageRow>> latestOfSessions(List<UUID> sessionIds) {
        if (sessionIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String ids = String.join(",", sessionIds.stream().map(UUID::toString).toList());
        return getSession().flatMap(session -> session.createNativeQuery("""
                select cast(last.id as text)
                  from unnest(string_to_array(:ids, ',')) as s(id)
                  cross join lateral (select m.id from whatsapp_messages m where m.session_id = cast(s.id as uuid)
                                       order by m.created_at desc, m.id desc limit 1) last
                """).setParameter("ids", ids).getResultList()
                .flatMap(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(Map.<UUID, MessageRow> of());
                    }
                    List<UUID> latestIds = rows.stream().map(id -> UUID.fromString(String.valueOf(id))).toList();
                    return session.createQuery(MessageRow.SELECT + "where m.id in (:ids)", MessageRow.class)
                            .setParameter("ids", latestIds).getResultList()
                            .map(found -> {
                                Map<UUID, MessageRow> latest = new HashMap<>();
                                found.forEach(row -> latest.put(row.sessionId(), row));
                                return latest;
                            });
                }));
    }
}
