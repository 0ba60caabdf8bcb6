package io.wagateway.conversation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.Cursor;
import io.wagateway.common.NotFoundException;
import io.wagateway.common.PageResponse;
import io.wagateway.conversation.dto.CustomerResponse;
import io.wagateway.conversation.dto.CustomerResponse.CustomerSession;

/** Customers: listing, erasure of everything held about one, and its export (data portability). */
@ApplicationScoped
public class CustomerService {

    private static final Logger LOG = Logger.getLogger(CustomerService.class);

    private final CustomerRepository customers;
    private final ConversationWrites writes;
    private final CustomerExport export;

    public CustomerService(CustomerRepository customers, ConversationWrites writes, CustomerExport export) {
        this.customers = customers;
        this.writes = writes;
        this.export = export;
    }

    /**
     * One page of customers, newest first, each with their sessions.
     *
     * @param waId digits only (see {@link SessionService#normalizePhone}), or null for every customer
     */
    @WithSession
    public Uni<PageResponse<CustomerResponse>> list(String waId, Cursor after, int size) {
        return list(new CustomerRepository.Filter(waId, null, null), after, size);
    }

    /** One page of customers matching every non-null field of {@code filter}. */
    @WithSession
    public Uni<PageResponse<CustomerResponse>> list(CustomerRepository.Filter filter, Cursor after, int size) {
        return customers.page(filter, after, size + 1).chain(rows -> {
            Cursor.Slice<CustomerProfile> slice = Cursor.slice(rows, size, c -> new Cursor(c.createdAt, c.id));
            return withSessions(slice.rows()).map(items -> new PageResponse<>(items, slice.nextCursor()));
        });
    }

    @WithSession
    public Uni<CustomerResponse> get(UUID id) {
        return customers.findById(id).onItem().ifNull().failWith(() -> new NotFoundException("Customer", id))
                .chain(customer -> withSessions(List.of(customer))).map(items -> items.get(0));
    }

    /** Erases the customer and everything held about them (ConversationWrites.eraseCustomer); 404 when unknown. */
    public Uni<Void> erase(UUID id) {
        return writes.eraseCustomer(id).invoke(erased -> {
            if (erased == null) {
                throw new NotFoundException("Customer", id);
            }
            LOG.infof("Customer %s erased with %d session(s)", id, erased.sessionIds().size());
        }).replaceWithVoid();
    }

    /** Everything held about the customer as chunks of one JSON document; fails with a 404 before the first. */
    public Multi<String> export(UUID id) {
        return export.document(id);
    }

    /** The customers with their sessions: one query for the sessions of the whole page (no N+1). */
    private Uni<List<CustomerResponse>> withSessions(List<CustomerProfile> page) {
        List<UUID> ids = page.stream().map(c -> c.id).toList();
        List<String> waIds = page.stream().map(c -> c.waId).toList();
        return customers.sessionsOf(ids, waIds).map(sessions -> {
            Map<UUID, String> waIdOf = new HashMap<>();
            page.forEach(c -> waIdOf.put(c.id, c.waId));
            Map<String, UUID> byWaId = new HashMap<>();
            page.forEach(c -> byWaId.put(c.waId, c.id));
            Map<UUID, List<CustomerSession>> of = new HashMap<>();
            for (CustomerSessionRow s : sessions) {
                UUID owner = s.profileId() != null && waIdOf.containsKey(s.profileId()) ? s.profileId()
                        : byWaId.get(s.phoneNumber());
                if (owner != null) {
                    of.computeIfAbsent(owner, k -> new ArrayList<>()).add(new CustomerSession(s.id(), s.phoneNumber()));
                }
            }
            return page.stream().map(c -> new CustomerResponse(c.id, c.waId, c.displayName, c.userId, c.parentUserId,
                    c.username, c.countryCode, c.createdAt, c.updatedAt,
                    List.copyOf(of.getOrDefault(c.id, List.of())))).toList();
        });
    }
}
