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

    /**
     * Deletes a session with its messages (ON DELETE CASCADE) and keeps tombstones, so that Meta's retries of the
     * conversation are not stored again: the wamids of its messages and, on the customer's profile, the time of
     * the deletion. Call in a transaction. Lock order, the one ingestion uses (db/conversation/inbound-message.sql):
     * the customer's profile row first, then the session row; the wamids are read only once the session is
     * locked, so a message committed meanwhile gets its tombstone too. Returns false when there is no such
     * session.
     */
    public Uni<Boolean> deleteWithTombstones(UUID id) {
        return getSession().flatMap(session -> session.createNativeQuery("""
                with s as (
                    select phone_number, customer_profile_id from whatsapp_sessions where id = :id
                ), linked as (
                    update customer_profiles cp
                       set conversation_deleted_at = greatest(cp.conversation_deleted_at, now())
                      from s where cp.id = s.customer_profile_id and cp.wa_id <> s.phone_number
                )
                insert into customer_profiles as cp (wa_id, updated_at, conversation_deleted_at)
                select phone_number, now(), now() from s
                on conflict (wa_id) do update
                   set conversation_deleted_at = greatest(cp.conversation_deleted_at, excluded.conversation_deleted_at)
                """).setParameter("id", id).executeUpdate()
                .flatMap(profiles -> profiles == 0 ? Uni.createFrom().item(false)
                        : session.createNativeQuery(
                                "select 1 from whatsapp_sessions where id = :id for update").setParameter("id", id)
                                .getResultList()
                                .flatMap(locked -> session.createNativeQuery("""
                                        with tombstones as (
                                            insert into whatsapp_deleted_messages (message_id, deleted_at)
                                            select message_id, now() from whatsapp_messages where session_id = :id
                                            on conflict (message_id) do update set deleted_at = excluded.deleted_at
                                        )
                                        delete from whatsapp_sessions where id = :id
                                        """).setParameter("id", id).executeUpdate())
                                .map(deleted -> deleted > 0)));
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
