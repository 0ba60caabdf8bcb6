package io.wagateway.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.MessageDirection;
import io.wagateway.settings.AccountChange;
import io.wagateway.settings.AccountWebhooks;
import io.wagateway.settings.AccountWrites;
import io.wagateway.templates.TemplateWebhooks;
import io.wagateway.webhook.WebhookSecrets.Signer;
import io.wagateway.webhook.payload.CallEvent;
import io.wagateway.webhook.payload.CallParser;
import io.wagateway.webhook.payload.Delivery;
import io.wagateway.webhook.payload.InboundMessage;
import io.wagateway.webhook.payload.Routing;
import io.wagateway.webhook.payload.StatusUpdate;

/**
 * Every change of a delivery whose field is not {@code messages} or {@code user_id_update}, so that nothing Meta
 * sends disappears unseen: the account fields go to {@link AccountWrites}, {@code calls} to the session timeline
 * ({@link ConversationWrites#insertCall}), the template fields are {@link TemplateWebhooks}'s, and every other change
 * (and an account or call change that no settings row or session can take) is kept raw by
 * {@link RawWebhookEvents}. Each is written before the delivery's answer and idempotent (dedupe keys), so Meta's
 * redeliveries store nothing twice; each change is counted by field and whether it was handled.
 */
@ApplicationScoped
public class WebhookFields {

    private static final Logger LOG = Logger.getLogger(WebhookFields.class);
    /** The fields DeliveryParser reads: not seen here. */
    private static final Set<String> MESSAGE_FIELDS = Set.of("messages", "user_id_update");

    private final ObjectMapper mapper;
    private final AccountWrites accounts;
    private final ConversationWrites conversations;
    private final RawWebhookEvents raw;
    private final WebhookMetrics metrics;

    public WebhookFields(ObjectMapper mapper, AccountWrites accounts, ConversationWrites conversations,
            RawWebhookEvents raw, WebhookMetrics metrics) {
        this.mapper = mapper;
        this.accounts = accounts;
        this.conversations = conversations;
        this.raw = raw;
        this.metrics = metrics;
    }

    /** One change of the delivery, with what the answer needs to know of it. */
    record Change(String field, String entryId, Instant entryTime, JsonNode value, String dedupeKey) {
    }

    /**
     * Stores the changes of a verified delivery that the messages parser left out ({@code ignoredFields} names
     * them); fails when the database does (the delivery is then answered for a retry). How many were stored new.
     */
    public Uni<Integer> apply(byte[] body, List<String> ignoredFields, Signer signer, Instant arrival) {
        if (ignoredFields.stream().allMatch(f -> f.startsWith("object:"))) {
            return Uni.createFrom().item(0);
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            return Uni.createFrom().item(0);
        }
        Set<String> left = new java.util.HashSet<>(ignoredFields);
        // only the fields the messages parser left out: one it reads itself is not seen again here
        List<Change> changes = changes(root, arrival).stream().filter(c -> left.contains(c.field())).toList();
        if (changes.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        AccountWrites.Owner owner = new AccountWrites.Owner(signer.everyNumber(), signer.numbers(),
                signer.businesses());
        Uni<Void> numbers = changes.stream().anyMatch(c -> AccountWebhooks.FIELDS.contains(c.field()))
                ? accounts.storeDisplayNumbers()
                : Uni.createFrom().voidItem();
        return numbers.chain(() -> Multi.createFrom().iterable(changes).onItem()
                .transformToUniAndConcatenate(change -> applyOne(change, signer, owner, arrival)).collect().asList()
                .map(stored -> stored.stream().mapToInt(Integer::intValue).sum()));
    }

    /** The changes of {@code root} other than the messages parser's, each with its dedupe key. */
    static List<Change> changes(JsonNode root, Instant arrival) {
        List<Change> out = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            String entryId = text(entry, "id");
            JsonNode time = entry.path("time");
            Instant entryTime = time.isMissingNode() || time.isNull() ? null : AccountWebhooks.seconds(time, arrival);
            for (JsonNode change : entry.path("changes")) {
                String field = text(change, "field");
                if (field == null || field.isBlank() || MESSAGE_FIELDS.contains(field)) {
                    continue;
                }
                JsonNode value = change.has("value") ? change.get("value") : change;
                out.add(new Change(field, entryId, entryTime, value,
                        hash(field, entryId, time.isMissingNode() ? "" : time.toString(), value.toString())));
            }
        }
        return out;
    }

    /** Fields written by their own writers before this one: templates and preferences, echoes and history. */
    private static boolean storedElsewhere(String field) {
        return TemplateWebhooks.FIELDS.contains(field) || Coexistence.FIELDS.contains(field);
    }

    private Uni<Integer> applyOne(Change change, Signer signer, AccountWrites.Owner owner, Instant arrival) {
        if (storedElsewhere(change.field()) || !AccountWebhooks.FIELDS.contains(change.field())
                && !CallParser.FIELD.equals(change.field())) {
            return store(change, signer, owner, arrival);
        }
        // PostgreSQL refused the change's data (a retry could not store it either): kept raw instead
        return store(change, signer, owner, arrival).onFailure(ConversationWrites::isPermanent)
                .recoverWithUni(failure -> {
                    LOG.warnf("A %s change for %s could not be stored in its place, kept raw: %s", change.field(),
                            LogValue.of(change.entryId()), failure.getMessage());
                    return keepRaw(change, RawWebhookEvents.UNROUTED);
                });
    }

    private Uni<Integer> store(Change change, Signer signer, AccountWrites.Owner owner, Instant arrival) {
        if (storedElsewhere(change.field())) {
            // stored by TemplateWebhooks or Coexistence before this
            metrics.field(change.field(), true);
            return Uni.createFrom().item(0);
        }
        if (AccountWebhooks.FIELDS.contains(change.field())) {
            AccountChange account = AccountWebhooks.parse(change.field(), change.entryId(),
                    change.entryTime() == null ? arrival : change.entryTime(), change.value(), change.dedupeKey());
            if (account == null) {
                return keepRaw(change, RawWebhookEvents.UNROUTED);
            }
            return accounts.apply(account, owner).chain(applied -> {
                if (applied.targets() == 0) {
                    LOG.debugf("Account change %s for business account %s kept raw: no settings row to take it",
                            change.field(), change.entryId());
                    return keepRaw(change, RawWebhookEvents.UNROUTED);
                }
                metrics.field(change.field(), true);
                return Uni.createFrom().item((int) applied.stored());
            });
        }
        if (CallParser.FIELD.equals(change.field()) && change.value().isObject()) {
            return calls(change, signer, arrival);
        }
        return keepRaw(change, RawWebhookEvents.UNHANDLED);
    }

    /** The events of a calls change in their sessions; the change kept raw too when one of them has none. */
    private Uni<Integer> calls(Change change, Signer signer, Instant arrival) {
        CallParser.Calls calls = CallParser.parse(change.entryId(), change.value(), arrival);
        List<CallEvent> routed = new ArrayList<>();
        int unrouted = calls.unreadable();
        for (CallEvent call : calls.events()) {
            Routing routing = call.routing();
            if (routing.phoneNumberId() != null && signer.owns(routing.wabaId(), routing.phoneNumberId())
                    && call.key().length() <= 512 && fits(call.customer()) && fits(call.userId())
                    && fits(call.parentUserId()) && fits(call.username())) {
                routed.add(call);
            } else {
                unrouted++;
            }
        }
        Uni<Integer> stored = Multi.createFrom().iterable(routed).onItem()
                .transformToUniAndConcatenate(call -> conversations.insertCall(new ConversationWrites.CallRow(
                        call.customer(), call.userId(), call.parentUserId(), call.username(), call.customerName(),
                        call.routing().phoneNumberId(), call.timestamp(), call.key(), call.summary(),
                        call.item().toString(), call.inbound() ? MessageDirection.INBOUND : MessageDirection.OUTBOUND)))
                .collect().asList().map(list -> (int) list.stream().filter(Boolean::booleanValue).count());
        if (unrouted == 0 && !routed.isEmpty()) {
            return stored.invoke(() -> metrics.field(change.field(), true));
        }
        return stored.chain(count -> keepRaw(change, RawWebhookEvents.UNROUTED).map(kept -> count + kept));
    }

    /** A customer key the profile and session columns take (absent is fine: the other key names the customer). */
    private static boolean fits(String key) {
        return key == null || key.length() <= 128;
    }

    private Uni<Integer> keepRaw(Change change, String reason) {
        metrics.field(change.field(), false);
        return raw.keep(new RawWebhookEvents.Raw(storable(change.field()), storable(change.entryId()),
                change.entryTime(), reason, storableJson(change.value()), change.dedupeKey()))
                .map(kept -> kept ? 1 : 0).onFailure(ConversationWrites::isPermanent).recoverWithItem(failure -> {
                    LOG.warnf("A %s change for %s was refused by PostgreSQL even raw, acknowledged: %s",
                            LogValue.of(change.field()), LogValue.of(change.entryId()), failure.getMessage());
                    return 0;
                });
    }

    /** Text PostgreSQL can hold: NUL (which no text or jsonb value may contain) as U+FFFD. */
    private static String storable(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD');
    }

    /** The JSON text of {@code value} without escaped NULs, which jsonb refuses. */
    static String storableJson(JsonNode value) {
        return value.toString().replace("\\u0000", "\\uFFFD");
    }

    /**
     * Notes the display numbers of the business numbers a routed delivery names (its metadata carries both), so
     * that phone number webhooks, which name only the display number, find their settings row. Memory only.
     */
    public void seeDisplayNumbers(Delivery delivery) {
        Routing last = null;
        for (InboundMessage m : delivery.messages()) {
            if (!m.routing().equals(last)) {
                last = m.routing();
                accounts.seenDisplayNumber(last.phoneNumberId(), last.displayPhoneNumber());
            }
        }
        for (StatusUpdate s : delivery.statuses()) {
            if (!s.routing().equals(last)) {
                last = s.routing();
                accounts.seenDisplayNumber(last.phoneNumberId(), last.displayPhoneNumber());
            }
        }
    }

    private static String hash(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
