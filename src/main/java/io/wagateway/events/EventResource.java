package io.wagateway.events;

import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.Cursor;
import io.wagateway.common.FieldError;
import io.wagateway.common.InvalidInputException;
import io.wagateway.common.PageQuery;
import io.wagateway.common.PageResponse;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;

@Path("/api/v1/events")
@Tag(name = "Events")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class EventResource {

    private final EventLog log;
    private final EventStreams streams;

    static final String LAST_EVENT_ID = "Last-Event-ID";
    static final String KEEP_ALIVE = "keep-alive";

    public EventResource(EventLog log, EventStreams streams) {
        this.log = log;
        this.streams = streams;
    }

    @GET
    @Operation(summary = "Read the event log", description = "Committed events after an event id, oldest first, as "
            + "CloudEvents. Resume with the last id seen (nextCursor): no event is skipped, also when transactions "
            + "commit in another order than they started.")
    @APIResponse(responseCode = "200", description = "A page of events; nextCursor is the id to pass as after next", content = @Content(schema = @Schema(implementation = EventPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid after, type or limit")
    public Uni<PageResponse<CloudEvent>> list(
            @Parameter(description = "Only events after this event id (default: from the oldest kept)", schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("after") String after,
            @Parameter(description = "Comma-separated event types (default: every type)") @QueryParam("types") String types,
            @Parameter(description = "Only events of this business phone number id") @QueryParam("phoneNumberId") String phoneNumberId,
            @Parameter(description = "Page size, 1-200 (default 50)") @QueryParam("limit") @Min(value = 1, message = PageQuery.LIMIT_RANGE) @Max(value = Cursor.MAX_LIMIT, message = PageQuery.LIMIT_RANGE) Integer limit) {
        long from = afterParam(after);
        List<String> typeList = typesParam(types);
        int size = limit == null ? Cursor.DEFAULT_LIMIT : limit;
        String number = phoneNumberId == null || phoneNumberId.isBlank() ? null : phoneNumberId.trim();
        return log.after(from, typeList, number, size).map(items -> new PageResponse<>(items,
                items.isEmpty() ? (after == null || after.isBlank() ? null : Long.toString(from))
                        : items.get(items.size() - 1).id()));
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Stream the event log (Server-Sent Events)", description = "The committed events after the "
            + "cursor, oldest first, then each event as it is numbered, until the client disconnects. Each event: "
            + "`id:` the event id, `event:` its type, `data:` the CloudEvent JSON on one line; a `: keep-alive` "
            + "comment when nothing was written for gateway.events.stream-heartbeat. The cursor is the Last-Event-ID "
            + "header (what an EventSource sends when it reconnects), else `after`; resuming from the last id seen "
            + "misses no event.")
    @APIResponse(responseCode = "200", description = "The stream (text/event-stream), open until the client or the "
            + "replica ends it", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Invalid Last-Event-ID, after or type")
    @APIResponse(responseCode = "503", description = "Too many streams on this replica (gateway.events.max-streams), or "
            + "it is shutting down", headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)))
    public Multi<OutboundSseEvent> stream(
            @Parameter(description = "Resume after this event id; takes precedence over after", schema = @Schema(type = SchemaType.INTEGER)) @HeaderParam(LAST_EVENT_ID) String lastEventId,
            @Parameter(description = "Only events after this event id when there is no Last-Event-ID (default: from the oldest kept)", schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("after") String after,
            @Parameter(description = "Comma-separated event types (default: every type)") @QueryParam("types") String types,
            @Parameter(description = "Only events of this business phone number id") @QueryParam("phoneNumberId") String phoneNumberId,
            @Context Sse sse) {
        long from = lastEventId != null && !lastEventId.isBlank() ? idParam(LAST_EVENT_ID, lastEventId) : afterParam(after);
        List<String> typeList = typesParam(types);
        String number = phoneNumberId == null || phoneNumberId.isBlank() ? null : phoneNumberId.trim();
        // no media type per event: the data is the JSON text already, written as it is
        return streams.open(from, typeList, number).map(item -> item.keepAlive()
                ? sse.newEventBuilder().comment(KEEP_ALIVE).build()
                : sse.newEventBuilder().id(item.id()).name(item.type()).data(item.json()).build());
    }

    private static long afterParam(String after) {
        return after == null || after.isBlank() ? 0 : idParam("after", after);
    }

    private static long idParam(String name, String value) {
        try {
            long id = Long.parseLong(value.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(List.of(new FieldError(name, "must be an event id (a non-negative integer)")));
        }
    }

    private static List<String> typesParam(String types) {
        if (types == null || types.isBlank()) {
            return List.of();
        }
        return EventType.requireKnown(
                Arrays.stream(types.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList());
    }

    /** OpenAPI schema of an event page. */
    @Schema(name = "EventPage")
    public record EventPage(List<CloudEvent> items, @Schema(nullable = true) String nextCursor) {
    }
}
