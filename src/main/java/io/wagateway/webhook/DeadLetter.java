package io.wagateway.webhook;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.vertx.pgclient.PgException;
import io.wagateway.common.LogThrottle;
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

    /** Says in a throttled line, without payload values, that this item was kept (once it is committed). */
    void logKept() {
        long suppressed = THROTTLE.admit("dead-letter");
        if (suppressed >= 0) {
            LOG.warnf("Kept a %s for phone_number_id=%s (wamid=%s) as a dead letter and acknowledged it: PostgreSQL "
                    + "refused it with %s (%s), as it would on every retry. See whatsapp_dead_letters. (%d more not "
                    + "logged in the last minute)", kind, LogValue.of(phoneNumberId), LogValue.of(wamid), sqlState,
                    LogValue.of(error), suppressed);
        }
    }

    /** Not even this dead letter is storable: the item is acknowledged without being stored, and it is logged. */
    void logRefused(PgException refusal) {
        if (THROTTLE.admit("dead-letter-refused") >= 0) {
            LOG.errorf("Could not keep a %s for phone_number_id=%s (wamid=%s) as a dead letter either (PostgreSQL "
                    + "%s); acknowledged without storing it", kind, LogValue.of(phoneNumberId), LogValue.of(wamid),
                    refusal.getSqlState());
        }
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
}
