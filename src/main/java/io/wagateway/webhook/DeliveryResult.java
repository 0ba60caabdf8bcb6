package io.wagateway.webhook;

/**
 * What became of one webhook POST, as {@link WebhookRoute} answers it: {@code STORED} and {@code DUPLICATE} are
 * 200 with the counts, the others problems. Produced only from the committed outcome.
 */
public record DeliveryResult(Status status, int stored, int duplicates, int statusesApplied, int statusesPending,
        String detail) {

    /** How a delivery ended (also the label of {@code whatsapp_webhook_deliveries_total}). */
    public enum Status {
        /** Committed (or acknowledged without anything to store). */
        STORED,
        /** Every message was stored before, and there was nothing else. */
        DUPLICATE,
        /** No app secret signs the body. */
        REJECTED_SIGNATURE,
        /** Signed, but not a delivery (not JSON, not an object). */
        INVALID,
        /** Not stored: the database is unavailable or too slow, so that Meta retries. */
        UNAVAILABLE
    }

    static DeliveryResult of(Status status, String detail) {
        return new DeliveryResult(status, 0, 0, 0, 0, detail);
    }

    /** The same answer with {@code more} messages stored besides (business-app echoes). */
    DeliveryResult plusStored(int more) {
        if (more == 0 || (status != Status.STORED && status != Status.DUPLICATE)) {
            return this;
        }
        return new DeliveryResult(Status.STORED, stored + more, duplicates, statusesApplied, statusesPending, null);
    }

    /** The answer for what a delivery's commit wrote. */
    static DeliveryResult of(Written written) {
        Status status = written.stored() == 0 && written.duplicates() > 0 && written.statuses().isEmpty()
                ? Status.DUPLICATE
                : Status.STORED;
        return new DeliveryResult(status, written.stored(), written.duplicates(), written.statusesApplied(),
                written.statusesPending(), null);
    }
}
