package io.wagateway.graph;

import com.fasterxml.jackson.databind.JsonNode;

/** Meta's error object ({@code {"error": {message, type, code, error_subcode, error_data, fbtrace_id}}}). */
public record GraphError(int httpStatus, Integer code, Integer errorSubcode, String message, String details,
        String type, String fbtraceId) {

    static GraphError from(int httpStatus, JsonNode error) {
        if (error == null || !error.isObject()) {
            return new GraphError(httpStatus, null, null, null, null, null, null);
        }
        return new GraphError(httpStatus,
                error.hasNonNull("code") ? error.get("code").asInt() : null,
                error.hasNonNull("error_subcode") ? error.get("error_subcode").asInt() : null,
                text(error, "message"),
                text(error.path("error_data"), "details"),
                text(error, "type"),
                text(error, "fbtrace_id"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
