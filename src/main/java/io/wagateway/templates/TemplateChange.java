package io.wagateway.templates;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** One change of a template webhook field, addressed to business account {@code wabaId} at {@code at}. */
record TemplateChange(String field, String wabaId, Instant at, JsonNode value) {
}
