package io.wagateway.webhook.payload;

/** Where a change was addressed: the WABA ({@code entry.id}) and the business number ({@code value.metadata}). */
public record Routing(String wabaId, String phoneNumberId, String displayPhoneNumber) {
}
