package io.wagateway.conversation;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.Cursor;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<WhatsAppSession, UUID> {

    /** Filters of the session list; null fields do not filter. */
    public record Filter(String phoneNumber, SessionState state, Instant updatedSince, String userId,
            String username) {

        public Filter(String phoneNumber, SessionState state, Instant updatedSince) {
            this(phoneNumber, state, updatedSince, null, null);
        }
    }

    /** One page ordered by (updated_at desc, id desc), after {@code after} when given, with customer profiles. */
    public Uni<List<WhatsAppSession>> page(Filter filter, Cursor after, int limit) {
        StringBuilder query = new StringBuilder("from WhatsAppSession s left join fetch s.customerProfile where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.phoneNumber() != null) {
            query.append(" and s.phoneNumber = :phone");
            params.put("phone", filter.phoneNumber());
        }
        if (filter.userId() != null) {
            query.append(" and s.customerProfile.userId = :userId");
            params.put("userId", filter.userId());
        }
        if (filter.username() != null) {
            query.append(" and s.customerProfile.username = :username");
            params.put("username", filter.username());
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
}
