package io.wagateway.conversation.dto;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import io.wagateway.conversation.ContextData;
import io.wagateway.conversation.SessionState;

/**
 * A change to a session. Fields left out keep their value; {@code contextData: null} clears the context. An
 * unknown state is refused by Jackson (400 listing the states), an unfit contextData by {@link ContextData}.
 */
@Schema(name = "PatchSession")
public record PatchSessionRequest(
        @Schema(description = "A whatsapp_session_state", example = "VIEWING_CART", nullable = true) SessionState state,
        @Schema(description = "Any JSON object; replaces the stored one; null clears it", type = SchemaType.OBJECT, example = "{\"cartId\": \"c-42\", \"items\": 3}", nullable = true) @ContextData JsonNode contextData) {
}
