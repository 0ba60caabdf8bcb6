package io.wagateway.webhook;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wagateway.common.LogThrottle;
import io.wagateway.webhook.payload.Delivery;
import io.wagateway.webhook.payload.DeliveryParser;
import io.wagateway.webhook.payload.WebhookError;

/**
 * Parses a verified body into a {@link Delivery} (leniently: unknown fields are ignored) and logs what it
 * acknowledges without storing: changes of other webhook fields, and the errors Meta reports in
 * {@code value.errors[]} (throttled).
 */
@ApplicationScoped
public class DeliveryReader {

    private static final Logger LOG = Logger.getLogger(DeliveryReader.class);

    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    private final ObjectMapper mapper;

    public DeliveryReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The delivery in {@code body}, received at {@code arrival}; {@link Invalid} when it is not one. */
    public Delivery read(byte[] body, Instant arrival) throws Invalid {
        Delivery delivery;
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || !root.isObject()) {
                throw new Invalid("the body is not a JSON object");
            }
            delivery = DeliveryParser.parse(root, arrival);
        } catch (IOException e) {
            throw new Invalid("the body is not valid JSON");
        }
        delivery.ignoredFields().forEach(
                field -> LOG.debugf("Acknowledged webhook change without storing it: %s", LogValue.of(field)));
        for (WebhookError error : delivery.errors()) {
            long suppressed = throttle.admit("meta-error");
            if (suppressed >= 0) {
                LOG.warnf("Meta reported an error for phone_number_id=%s: code=%s title=%s details=%s (%d more not "
                        + "logged in the last minute)", LogValue.of(error.routing().phoneNumberId()), error.code(),
                        LogValue.of(error.title()), LogValue.of(error.details()), suppressed);
            }
        }
        return delivery;
    }

    /** A signed body that is not a delivery (answered 400 with this detail); no stack trace. */
    public static final class Invalid extends Exception {
        Invalid(String detail) {
            super(detail, null, false, false);
        }
    }
}
