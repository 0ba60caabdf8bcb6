package io.wagateway.audit;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wagateway.audit.dto.AuditEntryResponse;
import io.wagateway.common.FieldError;
import io.wagateway.common.IdCursor;
import io.wagateway.common.InvalidInputException;
import io.wagateway.common.PageResponse;

/** Pages of the audit log, newest first, keyset paged by entry id. */
@ApplicationScoped
public class AuditService {

    private static final String CURSOR_PREFIX = "audit:";

    private final AuditLog log;

    public AuditService(AuditLog log) {
        this.log = log;
    }

    /** Entries matching {@code filter}; {@code cursor} is the nextCursor of the previous page. */
    public Uni<PageResponse<AuditEntryResponse>> list(AuditLog.Filter filter, String cursor, int size) {
        if (filter.since() != null && filter.until() != null && !filter.since().isBefore(filter.until())) {
            throw new InvalidInputException(List.of(new FieldError("until", "must be after since")));
        }
        Long before = IdCursor.decode(CURSOR_PREFIX, cursor);
        return log.page(filter, before, size + 1).map(fetched -> {
            List<AuditLog.Stored> page = fetched.size() > size ? fetched.subList(0, size) : fetched;
            String next = fetched.size() > size ? IdCursor.encode(CURSOR_PREFIX, page.get(size - 1).id()) : null;
            return new PageResponse<>(page.stream().map(AuditService::toResponse).toList(), next);
        });
    }

    private static AuditEntryResponse toResponse(AuditLog.Stored stored) {
        AuditLog.Entry e = stored.entry();
        return new AuditEntryResponse(Long.toString(stored.id()), stored.occurredAt(), e.actor(), e.keyFingerprint(),
                e.action(), e.resourceType(), e.resourceId(), e.method(), e.path(), e.status(), e.requestId(),
                e.details() == null ? null : e.details().getMap());
    }
}
