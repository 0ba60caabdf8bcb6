package io.wagateway.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wagateway.audit.dto.AuditEntryResponse;
import io.wagateway.common.FieldError;
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
        Long before = decode(cursor);
        return log.page(filter, before, size + 1).map(fetched -> {
            List<AuditLog.Stored> page = fetched.size() > size ? fetched.subList(0, size) : fetched;
            String next = fetched.size() > size ? encode(page.get(size - 1).id()) : null;
            return new PageResponse<>(page.stream().map(AuditService::toResponse).toList(), next);
        });
    }

    private static AuditEntryResponse toResponse(AuditLog.Stored stored) {
        AuditLog.Entry e = stored.entry();
        return new AuditEntryResponse(Long.toString(stored.id()), stored.occurredAt(), e.actor(), e.keyFingerprint(),
                e.action(), e.resourceType(), e.resourceId(), e.method(), e.path(), e.status(), e.requestId(),
                e.details() == null ? null : e.details().getMap());
    }

    static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + id).getBytes(StandardCharsets.UTF_8));
    }

    static Long decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            if (raw.startsWith(CURSOR_PREFIX)) {
                return Long.parseLong(raw.substring(CURSOR_PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem below
        }
        throw new InvalidInputException(List.of(new FieldError("cursor",
                "is invalid; pass back the nextCursor of a previous page")));
    }
}
