package io.wagateway.session;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.Cursor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<WhatsAppSession, UUID> {

    /** Filters of the session list; null fields do not filter. */
    public record Filter(String phoneNumber, SessionState state, Instant updatedSince) {
    }

    /** One page ordered by (updated_at desc, id desc), after {@code after} when given, with customer profiles. */
    public Uni<List<WhatsAppSession>> page(Filter filter, Cursor after, int limit) {
        StringBuilder query = new StringBuilder("from WhatsAppSession s left join fetch s.customerProfile where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.phoneNumber() != null) {
            query.append(" and s.phoneNumber = :phone");
            params.put("phone", filter.phoneNumber());
        }
        if (filter.state() != null) {
            query.append(" and s.state = :state");
            params.put("state", filter.state());
        }
        if (filter.updatedSince() != null) {
            query.append(" and s.updatedAt >= :since");
            params.put("since", filter.updatedSince());
        }
        if (after != null) {
            // Row comparison, so PostgreSQL starts the index scan at the cursor (an OR form filters from the top).
            query.append(" and (s.updatedAt, s.id) < (:at, :id)");
            params.put("at", after.at());
            params.put("id", after.id());
        }
        query.append(" order by s.updatedAt desc, s.id desc");
        return find(query.toString(), params).page(0, limit).list();
    }

    public Uni<WhatsAppSession> findWithProfile(UUID id) {
        return find("from WhatsAppSession s left join fetch s.customerProfile where s.id = ?1", id).firstResult();
    }

    public Uni<WhatsAppSession> findByPhoneNumber(String phoneNumber) {
        return find("phoneNumber", phoneNumber).firstResult();
    }

    /**
     * The session of a customer we send to, created when missing. INSERT ... ON CONFLICT because a webhook
     * may create the same phone number's session concurrently (phone_number is unique); last_message_at
     * only moves forward. Returns the session id.
     */
    public Uni<UUID> upsertForOutbound(String phoneNumber, String phoneNumberId, Instant at) {
        return getSession().flatMap(session -> session.createNativeQuery("""
                insert into whatsapp_sessions (id, phone_number, state, last_message_at, created_at, updated_at,
                                               phone_number_id)
                values (gen_random_uuid(), :phone, 'IDLE', :at, :at, :at, :phoneNumberId)
                on conflict (phone_number) do update
                   set phone_number_id = excluded.phone_number_id,
                       last_message_at = greatest(whatsapp_sessions.last_message_at, excluded.last_message_at),
                       updated_at = greatest(whatsapp_sessions.updated_at, excluded.updated_at)
                returning cast(id as text)
                """).setParameter("phone", phoneNumber).setParameter("phoneNumberId", phoneNumberId)
                .setParameter("at", at).getSingleResult())
                .map(id -> UUID.fromString(String.valueOf(id)));
    }
}
