package io.wagateway.webhook.payload;

/** One object of {@code value.errors[]}: a system, app or account level problem Meta reports. */
public record WebhookError(Routing routing, Integer code, String title, String details) {
}
