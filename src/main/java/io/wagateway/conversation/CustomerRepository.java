package io.wagateway.conversation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.Cursor;

/** Admin reads of customer_profiles (ConversationWrites writes them). */
@ApplicationScoped
public class CustomerRepository implements PanacheRepositoryBase<CustomerProfile, UUID> {

    /**
     * One page ordered by (created_at desc, id desc), after {@code after} when given; only the customer with this
     * wa_id when it is not null.
     */
    public Uni<List<CustomerProfile>> page(String waId, Cursor after, int limit) {
        return page(new Filter(waId, null, null), after, limit);
    }

    /** Filters of the customer list; null fields do not filter. */
    public record Filter(String waId, String userId, String username) {
    }

    /** As {@link #page(String, Cursor, int)}, with every non-null filter. */
    public Uni<List<CustomerProfile>> page(Filter filter, Cursor after, int limit) {
        StringBuilder query = new StringBuilder("from CustomerProfile c where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.waId() != null) {
            query.append(" and c.waId = :waId");
            params.put("waId", filter.waId());
        }
        if (filter.userId() != null) {
            query.append(" and c.userId = :userId");
            params.put("userId", filter.userId());
        }
        if (filter.username() != null) {
            query.append(" and c.username = :username");
            params.put("username", filter.username());
        }
        if (after != null) {
            // Row comparison, so PostgreSQL starts the index scan at the cursor (an OR form filters from the top).
            query.append(" and (c.createdAt, c.id) < (:at, :id)");
            params.put("at", after.at());
            params.put("id", after.id());
        }
        query.append(" order by c.createdAt desc, c.id desc");
        return find(query.toString(), params).page(0, limit).list();
    }

    /**
     * The sessions of the given customers, in one query: linked to their profile, or keyed by their wa_id (a send
     * creates a session without a profile); oldest first.
     */
    public Uni<List<CustomerSessionRow>> sessionsOf(List<UUID> profileIds, List<String> waIds) {
        if (profileIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return getSession().flatMap(session -> session.createQuery("""
                select new io.wagateway.conversation.CustomerSessionRow(p.id, s.id, s.phoneNumber)
                  from WhatsAppSession s left join s.customerProfile p
                 where p.id in (:ids) or s.phoneNumber in (:waIds)
                 order by s.createdAt, s.id""", CustomerSessionRow.class)
                .setParameter("ids", profileIds).setParameter("waIds", waIds).getResultList());
    }
}
