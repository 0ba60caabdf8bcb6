package io.wagateway.webhook;

import java.io.IOException;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.Cursor;
import io.wagateway.common.IdCursor;
import io.wagateway.common.PageQuery;
import io.wagateway.common.PageResponse;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;
import io.wagateway.webhook.dto.WebhookEventResponse;

@Path("/api/v1/webhook-events")
@Tag(name = "Webhook events")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class WebhookEventResource {

    private static final String CURSOR_PREFIX = "webhook-event:";

    private final RawWebhookEvents events;
    private final ObjectMapper mapper;

    public WebhookEventResource(RawWebhookEvents events, ObjectMapper mapper) {
        this.events = events;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "List the raw webhook changes", description = "The webhook changes the gateway stores "
            + "nowhere else (fields it does not handle, and handled ones for an unknown business number or account), "
            + "as Meta sent them, newest first, keyset paged; kept for gateway.webhook-events.retention.")
    @APIResponse(responseCode = "200", description = "A page of webhook changes", content = @Content(schema = @Schema(implementation = WebhookEventPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid cursor or limit")
    public Uni<PageResponse<WebhookEventResponse>> list(
            @Parameter(description = "Only this webhook field (e.g. group_lifecycle_update)") @QueryParam("field") String field,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1-200 (default 50)") @QueryParam("limit") @Min(value = 1, message = PageQuery.LIMIT_RANGE) @Max(value = Cursor.MAX_LIMIT, message = PageQuery.LIMIT_RANGE) Integer limit) {
        int size = limit == null ? Cursor.DEFAULT_LIMIT : limit;
        Long before = IdCursor.decode(CURSOR_PREFIX, cursor);
        String only = field == null || field.isBlank() ? null : field.trim();
        return events.page(only, before, size + 1).map(fetched -> {
            List<RawWebhookEvents.Stored> page = fetched.size() > size ? fetched.subList(0, size) : fetched;
            String next = fetched.size() > size ? IdCursor.encode(CURSOR_PREFIX, page.get(size - 1).id()) : null;
            return new PageResponse<>(page.stream().map(this::response).toList(), next);
        });
    }

    private WebhookEventResponse response(RawWebhookEvents.Stored s) {
        try {
            return new WebhookEventResponse(Long.toString(s.id()), s.field(), s.entryId(), s.entryTime(), s.reason(),
                    mapper.readTree(s.payloadJson()), s.receivedAt());
        } catch (IOException e) {
            throw new IllegalStateException("kept webhook change is not JSON", e);
        }
    }

    /** OpenAPI schema of a page of webhook changes. */
    @Schema(name = "WebhookEventPage")
    public record WebhookEventPage(List<WebhookEventResponse> items, @Schema(nullable = true) String nextCursor) {
    }
}
