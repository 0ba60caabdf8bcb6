package io.wagateway.settings;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.IdCursor;
import io.wagateway.common.NotFoundException;
import io.wagateway.common.PageResponse;
import io.wagateway.settings.dto.AccountEventResponse;

/** Pages of a settings row's account events, newest first, keyset paged by event id. */
@ApplicationScoped
public class AccountEventService {

    private static final String CURSOR_PREFIX = "account-event:";

    private final AccountWrites writes;

    public AccountEventService(AccountWrites writes) {
        this.writes = writes;
    }

    public Uni<PageResponse<AccountEventResponse>> list(UUID settingsId, String cursor, int size) {
        Long before = IdCursor.decode(CURSOR_PREFIX, cursor);
        return writes.exists(settingsId).chain(exists -> {
            if (!exists) {
                return Uni.createFrom().failure(new NotFoundException("Settings", settingsId));
            }
            return writes.page(settingsId, before, size + 1).map(fetched -> {
                List<AccountWrites.Stored> page = fetched.size() > size ? fetched.subList(0, size) : fetched;
                String next = fetched.size() > size ? IdCursor.encode(CURSOR_PREFIX, page.get(size - 1).id()) : null;
                return new PageResponse<>(page.stream().map(writes::response).toList(), next);
            });
        });
    }
}
