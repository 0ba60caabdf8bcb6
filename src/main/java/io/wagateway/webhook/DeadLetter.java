package io.wagateway.webhook;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.vertx.pgclient.PgException;
import io.wagateway.common.LogThrottle;
import io.wagateway.conversation.ConversationWrites;
import io.wagateway.conversation.InboundRow;

/**
 * An item PostgreSQL refused with a data error, as kept in {@code whatsapp_dead_letters}: the short columns are
 * cut to a bounded length (U+0000 replaced), the raw item is kept whole.
 */
public record DeadLetter(String phoneNumberId, String kind, String wamid, String sqlState, String error,
        String payload) {

    public static final String MESSAGE = "message";
    public static final String STATUS = "status";
    private static final Logger LOG = Logger.getLogger(DeadLetter.class);
    private static final LogThrottle THROTTLE = new LogThrottle(Duration.ofMinutes(1));
    private static final int MAX_KEY = 256;
    private static final int MAX_ERROR = 1024;

    static DeadLetter of(String kind, String phoneNumberId, String wamid, PgException refusal, String payload) {
        return new DeadLetter(cut(phoneNumberId, MAX_KEY), kind, cut(wamid, MAX_KEY), refusal.getSqlState(),
                cut(refusal.getErrorMessage() == null ? refusal.getSqlState() : refusal.getErrorMessage(), MAX_ERROR),
                payload == null ? "null" : payload);
    }

    static DeadLetter message(InboundRow row, PgException refusal) {
        return of(MESSAGE, row.phoneNumberId(), row.wamid(), refusal, row.metadataJson());
    }

    /** Counts a dead letter once it is committed, and says so in a throttled line without payload values. */
    void counted(WebhookMetrics metrics) {
        metrics.item(WebhookMetrics.ItemOutcome.DEAD_LETTER);
        long suppressed = THROTTLE.admit("dead-letter");
        if (suppressed >= 0) {
            LOG.warnf("Kept a %s for phone_number_id=%s (wamid=%s) as a dead letter and acknowledged it: PostgreSQL "
                    + "refused it with %s (%s), as it would on every retry. See whatsapp_dead_letters. (%d more not "
                    + "logged in the last minute)", kind, LogValue.of(phoneNumberId), LogValue.of(wamid), sqlState,
                    LogValue.of(error), suppressed);
        }
    }

    /**
     * The lone path ({@link InboundBatcher}): keeps the refused row, then fails its waiting deliveries with
     * {@link Kept} so that they are acknowledged. When even the dead letter is refused with a data error, the
     * deliveries are acknowledged all the same (a retry could not store either) and it is logged; an outage
     * while writing it fails them, so that Meta retries.
     */
    static io.smallrye.mutiny.Uni<Kept> keep(DeadLetterWriter writer, io.vertx.mutiny.sqlclient.SqlClient client,
            WebhookMetrics metrics, DeadLetter letter) {
        return writer.insert(client, letter)
                .map(ignored -> {
                    letter.counted(metrics);
                    return new Kept(letter.sqlState());
                })
                .onFailure(ConversationWrites::isPermanent).recoverWithItem(failure -> {
                    if (THROTTLE.admit("dead-letter-refused") >= 0) {
                        LOG.errorf("Could not keep a %s for phone_number_id=%s (wamid=%s) as a dead letter either "
                                + "(PostgreSQL %s); acknowledged without storing it", letter.kind(),
                                LogValue.of(letter.phoneNumberId()), LogValue.of(letter.wamid()),
                                ((PgException) failure).getSqlState());
                    }
                    return new Kept(letter.sqlState());
                });
    }

    private static String cut(String value, int max) {
        if (value == null) {
            return null;
        }
        String storable = StorableText.text(value);
        if (storable.length() <= max) {
            return storable;
        }
        int end = Character.isHighSurrogate(storable.charAt(max - 1)) ? max - 1 : max;
        return storable.substring(0, end);
    }

    /**
     * The answer for a message kept as a dead letter (the lone path): its delivery is acknowledged. No stack
     * trace: it is an outcome, not a fault.
     */
    static final class Kept extends RuntimeException {
        Kept(String sqlState) {
            super("kept as a dead letter (PostgreSQL " + sqlState + ")", null, false, false);
        }
    }
}
