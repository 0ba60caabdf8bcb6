package io.wagateway.webhook.payload;

/**
 * One object of a {@code user_id_update} webhook's {@code value.user_id_update[]}: a user's BSUID changed from
 * {@code previous} to {@code current} ({@code user_id.previous}, {@code user_id.current}); {@code waId} when the
 * phone is known.
 */
public record UserIdChange(Routing routing, String waId, String previous, String current) {
}
