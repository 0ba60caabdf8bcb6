package io.wagateway.events;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** One event of the log as CloudEvents 1.0 structured JSON (the body of a webhook, an item of the feed). */
@Schema(name = "CloudEvent")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        @Schema(example = "1.0") String specversion,
        @Schema(description = "The event id: unique, increasing in commit order; the feed's resume cursor", example = "42") String id,
        @Schema(example = "/whatsapp-gateway/118234567890123") String source,
        @Schema(example = EventType.MESSAGE_RECEIVED) String type,
        @Schema(description = "The session id (template events: the template id; account events: the settings id)", nullable = true) String subject,
        @Schema(description = "When the change was written") Instant time,
        @Schema(example = "application/json") String datacontenttype,
        @Schema(implementation = Object.class) JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE_PREFIX = "/whatsapp-gateway/";
    /** The media type of a structured CloudEvent (the body of a webhook). */
    public static final String MEDIA_TYPE = "application/cloudevents+json";

    /** The CloudEvent of a numbered event. */
    public static CloudEvent of(long id, String type, String phoneNumberId, UUID subject, Instant time, JsonNode data) {
        return new CloudEvent(SPEC_VERSION, Long.toString(id), SOURCE_PREFIX + phoneNumberId, type,
                subject == null ? null : subject.toString(), time, "application/json", data);
    }
}
