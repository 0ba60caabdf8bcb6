package io.wagateway.templates;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.ConflictException;

/**
 * The check before a template is sent: a template whose known status is not APPROVED, or a MARKETING template to a
 * customer who stopped marketing messages, is refused (409) before anything reaches Meta. A template the gateway has
 * never seen passes: Meta decides.
 */
@ApplicationScoped
public class TemplateGate {

    static final String STOPPED = "stopped";

    private final TemplateWrites writes;

    public TemplateGate(TemplateWrites writes) {
        this.writes = writes;
    }

    /** Completes when {@code payload} (Meta's send body) may be sent by business account {@code wabaId} to {@code waId}. */
    public Uni<Void> check(String wabaId, String waId, JsonNode payload) {
        if (!"template".equals(payload.path("type").asText()) || wabaId == null) {
            return Uni.createFrom().voidItem();
        }
        JsonNode template = payload.path("template");
        String name = TemplateWrites.text(template, "name");
        if (name == null) {
            return Uni.createFrom().voidItem();
        }
        String language = TemplateWrites.text(template.path("language"), "code");
        return writes.sendFacts(wabaId, name, language, waId).map(facts -> {
            if (facts.status() != null && !"APPROVED".equals(facts.status())) {
                throw new ConflictException("Template not approved", "Template '" + name + "'"
                        + (language == null ? "" : " (" + language + ")") + " has status " + facts.status()
                        + "; only APPROVED templates can be sent. Nothing was sent.");
            }
            if ("MARKETING".equals(facts.category()) && STOPPED.equals(facts.preference())) {
                throw new ConflictException("Customer opted out of marketing messages", "The customer stopped "
                        + "marketing messages from this business; template '" + name + "' is a MARKETING template. "
                        + "Nothing was sent.");
            }
            return null;
        }).replaceWithVoid();
    }
}
