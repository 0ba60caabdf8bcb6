package io.wagateway.conversation.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A change to a session. Fields left out keep their value; {@code contextData: null} clears the context.
 */
@Schema(name = "PatchSession")
public record PatchSessionRequest(
        @Schema(description = "A whatsapp_session_state", example = "VIEWING_CART", nullable = true, enumeration = {
                "IDLE", "BROWSING_CATEGORIES", "BROWSING_PRODUCTS", "VIEWING_PRODUCT", "VIEWING_CART",
                "CHECKOUT", "AWAITING_PAYMENT", "HUMAN_HANDOFF" }) String state,
        @Schema(description = "Any JSON object; replaces the stored one; null clears it", type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT, example = "{\"cartId\": \"c-42\", \"items\": 3}", nullable = true) JsonNode contextData){
}
