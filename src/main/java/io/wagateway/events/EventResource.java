package io.wagateway.events;

import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.Cursor;
import io.wagateway.common.FieldError;
import io.wagateway.common.InvalidInputException;
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

    private static final String LIMIT_RANGE = "must be between 1 and " + Cursor.MAX_LIMIT;

    public EventResource(EventLog log) {
        this.log = log;
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
            @Parameter(description = "Page size, 1-200 (default 50)") @QueryParam("limit") @Min(value = 1, message = LIMIT_RANGE) @Max(value = Cursor.MAX_LIMIT, message = LIMIT_RANGE) Integer limit) {
        long from = afterParam(after);
        List<String> typeList = typesParam(types);
        int size = limit == null ? Cursor.DEFAULT_LIMIT : limit;
        String number = phoneNumberId == null || phoneNumberId.isBlank() ? null : phoneNumberId.trim();
        return log.after(from, typeList, number, size).map(items -> new PageResponse<>(items,
                items.isEmpty() ? (after == null || after.isBlank() ? null : Long.toString(from))
                        : items.get(items.size() - 1).id()));
    }

    private static long afterParam(String after) {
        if (after == null || after.isBlank()) {
            return 0;
        }
        try {
            long value = Long.parseLong(after.trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(List.of(new FieldError("after", "must be an event id (a non-negative integer)")));
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
