package io.wagateway.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.common.Cursor;
import io.wagateway.common.InvalidInputException;
import io.wagateway.common.NotFoundException;
import io.wagateway.common.PageResponse;
import io.wagateway.common.SqlFiles;
import io.wagateway.events.dto.CreateSubscriptionRequest;
import io.wagateway.events.dto.PatchSubscriptionRequest;
import io.wagateway.events.dto.SubscriptionResponse;
import io.wagateway.security.SecretCipher;

/** Subscriptions: the one writer of {@code gateway_subscriptions}, encryption of their secrets, their views. */
@ApplicationScoped
public class SubscriptionService {

    private static final Logger LOG = Logger.getLogger(SubscriptionService.class);
    /** Column bound into the secret's ciphertext (with the row id). */
    static final String SECRET_COLUMN = "gateway_subscriptions.secret";

    private final String insert = SqlFiles.load("events/subscription-insert.sql");
    private final String select = SqlFiles.load("events/subscription-get.sql");
    private final String update = SqlFiles.load("events/subscription-update.sql");
    private final String delete = SqlFiles.load("events/subscription-delete.sql");
    private final String page = SqlFiles.load("events/subscription-page.sql");
    private final Pool pool;
    private final SecretCipher cipher;
    private final SubscriberUrlGuard guard;

    public SubscriptionService(Pool pool, SecretCipher cipher, SubscriberUrlGuard guard) {
        this.pool = pool;
        this.cipher = cipher;
        this.guard = guard;
    }

    public Uni<SubscriptionResponse> create(CreateSubscriptionRequest request) {
        UUID id = UUID.randomUUID();
        String generated = request.secret() == null ? WebhookSigner.newSecret() : null;
        String secret = generated != null ? generated : validSecret(request.secret());
        String[] types = eventTypes(request.eventTypes());
        String[] numbers = emptyAsAll(request.phoneNumberIds());
        boolean active = request.isActive() == null || request.isActive();
        return checkUrl(request.url())
                .chain(() -> pool.preparedQuery(insert).execute(Tuple.of(id, request.url(), types, numbers,
                        cipher.encrypt(secret, SECRET_COLUMN, id), active)))
                .map(rows -> toResponse(rows.iterator().next()).withSecret(generated))
                .invoke(created -> LOG.infof("Subscription %s created (active=%s, types=%s, numbers=%s)", id,
                        active, created.eventTypes(), created.phoneNumberIds()));
    }

    public Uni<PageResponse<SubscriptionResponse>> list(Cursor after, int size) {
        return pool.preparedQuery(page)
                .execute(Tuple.of(after == null ? null : after.at().atOffset(java.time.ZoneOffset.UTC),
                        after == null ? null : after.id(), size + 1))
                .map(rows -> {
                    List<SubscriptionResponse> fetched = responses(rows);
                    Cursor.Slice<SubscriptionResponse> slice = Cursor.slice(fetched, size,
                            s -> new Cursor(s.createdAt(), s.id()));
                    return new PageResponse<>(slice.rows(), slice.nextCursor());
                });
    }

    public Uni<SubscriptionResponse> get(UUID id) {
        return pool.preparedQuery(select).execute(Tuple.of(id)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw new NotFoundException("Subscription", id);
            }
            return toResponse(rows.iterator().next());
        });
    }

    /** Merges the fields sent into the row, locked for the transaction so that two PATCHes do not mix. */
    public Uni<SubscriptionResponse> patch(UUID id, PatchSubscriptionRequest request) {
        String newSecret = request.secret() == null ? null : validSecret(request.secret());
        String[] types = request.eventTypes() == null ? null : eventTypes(request.eventTypes());
        Uni<Void> urlChecked = request.url() == null ? Uni.createFrom().voidItem() : checkUrl(request.url());
        return urlChecked.chain(() -> pool.withTransaction(tx -> tx.preparedQuery(select).execute(Tuple.of(id))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("Subscription", id);
                    }
                    Row row = rows.iterator().next();
                    String url = request.url() != null ? request.url() : row.getString("url");
                    String[] eventTypes = request.eventTypes() != null ? types : row.getArrayOfStrings("event_types");
                    String[] numbers = request.phoneNumberIds() != null ? emptyAsAll(request.phoneNumberIds())
                            : row.getArrayOfStrings("phone_number_ids");
                    boolean active = request.isActive() != null ? request.isActive() : row.getBoolean("is_active");
                    // Every write leaves the secret under the current key.
                    String plain = newSecret != null ? newSecret
                            : cipher.decrypt(row.getString("secret"), SECRET_COLUMN, id);
                    return tx.preparedQuery(update).execute(Tuple.of(id, url, eventTypes, numbers,
                            cipher.encrypt(plain, SECRET_COLUMN, id), active));
                })))
                .map(rows -> toResponse(rows.iterator().next()))
                .invoke(updated -> LOG.infof("Subscription %s updated (active=%s, secret %s)", id,
                        updated.isActive(), newSecret != null ? "replaced" : "kept"));
    }

    public Uni<Void> delete(UUID id) {
        return pool.preparedQuery(delete).execute(Tuple.of(id)).invoke(rows -> {
            if (rows.rowCount() == 0) {
                throw new NotFoundException("Subscription", id);
            }
            LOG.infof("Subscription %s deleted with its deliveries", id);
        }).replaceWithVoid();
    }

    private Uni<Void> checkUrl(String url) {
        return guard.check(url).onFailure(SubscriberUrlGuard.RefusedUrlException.class)
                .transform(f -> new InvalidInputException(f.getMessage() + "."));
    }

    private static String validSecret(String secret) {
        try {
            WebhookSigner.key(secret);
            return secret;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("secret " + e.getMessage() + ".");
        }
    }

    private static String[] eventTypes(List<String> requested) {
        return requested == null ? null : emptyAsAll(EventType.requireKnown(requested));
    }

    /** A filter list as stored: null for every value, else its distinct values. */
    private static String[] emptyAsAll(List<String> values) {
        return values == null || values.isEmpty() ? null : values.stream().distinct().toArray(String[]::new);
    }

    private static List<SubscriptionResponse> responses(RowSet<Row> rows) {
        List<SubscriptionResponse> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(toResponse(row));
        }
        return out;
    }

    private static SubscriptionResponse toResponse(Row row) {
        return new SubscriptionResponse(row.getUUID("id"), row.getString("url"), list(row, "event_types"),
                list(row, "phone_number_ids"), row.getBoolean("is_active"), true, instant(row, "created_at"),
                instant(row, "updated_at"), null);
    }

    private static List<String> list(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : Arrays.asList(values);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value.toInstant();
    }
}
