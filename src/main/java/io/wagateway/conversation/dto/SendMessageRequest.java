package io.wagateway.conversation.dto;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * OpenAPI description of the send body: Meta's own send-message object without messaging_product, plus
 * phoneNumberId. The service reads the body as a JSON tree so any other Meta field passes through unchanged.
 */
@Schema(name = "SendMessage", description = "Meta's send-message object (without messaging_product), plus an "
        + "optional phoneNumberId. Other Meta fields (e.g. biz_opaque_callback_data) are passed through.", additionalProperties = Object.class)
public record SendMessageRequest(
        @Schema(description = "Customer phone number with country code; required unless recipient is given", example = "+16505551234", nullable = true) String to,
        @Schema(description = "The customer's business-scoped user id (BSUID), instead of to: sent as Meta's recipient field while no phone is known", example = "US.13491208655302741918", nullable = true) String recipient,
        @Schema(required = true, description = "Meta message type; the object of the same name is required", example = "text") String type,
        @Schema(description = "Business number to send from (default: the session's number, else the only active one)", example = "118234567890123", nullable = true) String phoneNumberId,
        @Schema(description = "For type text: {body (≤4096), preview_url?}", example = "{\"body\": \"Your order has shipped\"}", nullable = true) Map<String, Object> text,
        @Schema(description = "For type template: {name, language: {code}, components?}", example = "{\"name\": \"order_update\", \"language\": {\"code\": \"en_US\"}}", nullable = true) Map<String, Object> template,
        @Schema(description = "For type interactive: Meta's button / list object", nullable = true) Map<String, Object> interactive,
        @Schema(description = "For type reaction: {message_id, emoji}", nullable = true) Map<String, Object> reaction,
        @Schema(description = "Quote a message: {message_id}", nullable = true) Map<String, Object> context) {
}
