package io.wagateway.settings;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.SqlFiles;
import io.wagateway.settings.dto.AccountEventResponse;

/**
 * The one writer of {@code whatsapp_account_events} and of the account columns of {@code whatsapp_settings} (V16;
 * {@link SettingsService} writes the others and never these): an account change with its feed event in one
 * statement ({@code db/settings/account-event.sql}), the display numbers learned from message deliveries, and the
 * reads of {@code GET /api/v1/settings/{id}/events}.
 */
@ApplicationScoped
public class AccountWrites {

    private final String accountEvent = SqlFiles.load("settings/account-event.sql");
    private final String page = SqlFiles.load("settings/account-events-page.sql");
    private final String displayNumber = SqlFiles.load("settings/display-number.sql");
    private final Pool pool;
    private final ObjectMapper mapper;

    /** Who may change what: every number, or the numbers and business accounts of the delivery's signer. */
    public record Owner(boolean everyNumber, Set<String> numbers, Set<String> businesses) {
    }

    /** What became of a change: for how many settings rows, how many new events stored (0: a redelivery). */
    public record Applied(long targets, long stored) {
    }

    /** A stored account event. */
    record Stored(long id, UUID settingsId, String wabaId, String field, String event, String qualityRating,
            String messagingLimitTier, String accountStatus, String details, String value, Instant eventAt,
            Instant receivedAt) {
    }

    public AccountWrites(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** Stores {@code change} for the settings rows it is for that {@code owner} may change. */
    public Uni<Applied> apply(AccountChange change, Owner owner) {
        Tuple params = Tuple.tuple().addString(change.field()).addString(change.wabaId())
                .addString(change.phoneNumberId()).addString(change.displayPhoneNumber()).addString(change.event())
                .addString(change.qualityRating()).addString(change.messagingLimitTier())
                .addString(change.accountStatus()).addString(change.details() == null ? null : change.details().toString())
                .addString(change.value().toString()).addValue(change.at().atOffset(ZoneOffset.UTC))
                .addString(change.dedupeKey()).addBoolean(owner.everyNumber())
                .addArrayOfString(owner.numbers().toArray(String[]::new))
                .addArrayOfString(owner.businesses().toArray(String[]::new));
        return pool.preparedQuery(accountEvent).execute(params).map(rows -> {
            Row row = rows.iterator().next();
            return new Applied(row.getLong("targets"), row.getLong("stored"));
        });
    }

    /** A display number seen in a message delivery, and whether this replica has stored it since. */
    private record Seen(String digits, boolean stored) {
    }

    /** phone_number_id to the display number its message deliveries name, learned by this replica. */
    private final Map<String, Seen> displayNumbers = new ConcurrentHashMap<>();

    /**
     * Notes the display number of business number {@code phoneNumberId} (a message delivery's metadata): memory only,
     * so the messages path never waits for it; {@link #storeDisplayNumbers} writes it before the next account change.
     */
    public void seenDisplayNumber(String phoneNumberId, String displayPhoneNumber) {
        String digits = AccountWebhooks.digits(displayPhoneNumber);
        if (phoneNumberId == null || digits == null) {
            return;
        }
        Seen seen = displayNumbers.get(phoneNumberId);
        if (seen == null || !seen.digits().equals(digits)) {
            displayNumbers.put(phoneNumberId, new Seen(digits, false));
        }
    }

    /** Stores the display numbers seen since the last time (one statement each, written only when it differs). */
    public Uni<Void> storeDisplayNumbers() {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, Seen> entry : displayNumbers.entrySet()) {
            Seen seen = entry.getValue();
            if (!seen.stored()) {
                chain = chain.chain(() -> pool.preparedQuery(displayNumber)
                        .execute(Tuple.of(entry.getKey(), seen.digits()))
                        .invoke(() -> displayNumbers.replace(entry.getKey(), seen, new Seen(seen.digits(), true)))
                        .replaceWithVoid());
            }
        }
        return chain;
    }

    /** A settings row was created, changed or deleted: the display numbers are stored again. */
    void onSettingsChanged(@Observes SettingsChanged event) {
        displayNumbers.replaceAll((number, seen) -> new Seen(seen.digits(), false));
    }

    /** Up to {@code size} events of settings row {@code settingsId} with ids below {@code before} (null: newest). */
    Uni<List<Stored>> page(UUID settingsId, Long before, int size) {
        return pool.preparedQuery(page).execute(Tuple.of(settingsId, before, size)).map(rows -> {
            List<Stored> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new Stored(row.getLong("id"), row.getUUID("settings_id"), row.getString("waba_id"),
                        row.getString("field"), row.getString("event"), row.getString("quality_rating"),
                        row.getString("messaging_limit_tier"), row.getString("account_status"),
                        row.getString("details"), row.getString("value"), instant(row.getOffsetDateTime("event_at")),
                        instant(row.getOffsetDateTime("received_at"))));
            }
            return out;
        });
    }

    /** True when settings row {@code id} exists. */
    Uni<Boolean> exists(UUID id) {
        return pool.preparedQuery("SELECT 1 FROM whatsapp_settings WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext());
    }

    AccountEventResponse response(Stored s) {
        try {
            return new AccountEventResponse(Long.toString(s.id()), s.settingsId(), s.wabaId(), s.field(), s.event(),
                    s.qualityRating(), s.messagingLimitTier(), s.accountStatus(),
                    s.details() == null ? null : mapper.readTree(s.details()), mapper.readTree(s.value()),
                    s.eventAt(), s.receivedAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored account event is not JSON", e);
        }
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
