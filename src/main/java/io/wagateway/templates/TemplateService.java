package io.wagateway.templates;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.FieldError;
import io.wagateway.common.InvalidInputException;
import io.wagateway.common.PageResponse;
import io.wagateway.templates.dto.TemplateResponse;

/** Pages of the templates, by name, language and id, keyset paged. */
@ApplicationScoped
public class TemplateService {

    private final TemplateWrites writes;

    /** The position of a row in the list order (name and language as ordered: missing ones as empty). */
    record Key(String name, String language, UUID id) {
    }

    public TemplateService(TemplateWrites writes) {
        this.writes = writes;
    }

    /** Templates matching the filters; {@code cursor} is the nextCursor of the previous page. */
    public Uni<PageResponse<TemplateResponse>> list(String name, String status, String category, String cursor,
            int size) {
        Key after = decode(cursor);
        return writes.page(name, status, category, after, size + 1).map(fetched -> {
            List<TemplateWrites.Stored> page = fetched.size() > size ? fetched.subList(0, size) : fetched;
            String next = fetched.size() > size ? encode(page.get(size - 1)) : null;
            return new PageResponse<>(page.stream().map(writes::response).toList(), next);
        });
    }

    static String encode(TemplateWrites.Stored last) {
        String raw = (last.name() == null ? "" : last.name()) + '\u0000'
                + (last.language() == null ? "" : last.language()) + '\u0000' + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Key decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            String[] parts = raw.split("\u0000", -1);
            if (parts.length == 3) {
                return new Key(parts[0], parts[1], UUID.fromString(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem below
        }
        throw new InvalidInputException(List.of(new FieldError("cursor",
                "is invalid; pass back the nextCursor of a previous page")));
    }
}
