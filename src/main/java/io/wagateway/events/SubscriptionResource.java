package io.wagateway.events;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.wagateway.audit.Audited;
import io.wagateway.common.Cursor;
import io.wagateway.common.Links;
import io.wagateway.common.PageQuery;
import io.wagateway.common.PageResponse;
import io.wagateway.events.dto.CreateSubscriptionRequest;
import io.wagateway.events.dto.DeliveryAttemptResponse;
import io.wagateway.events.dto.PatchSubscriptionRequest;
import io.wagateway.events.dto.ReplayRequest;
import io.wagateway.events.dto.ReplayResponse;
import io.wagateway.events.dto.SubscriptionResponse;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;

@Path("/api/v1/subscriptions")
@Tag(name = "Event subscriptions")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class SubscriptionResource {

    private final SubscriptionService service;
    private final DeliveryService deliveries;
    private final Links links;

    public SubscriptionResource(SubscriptionService service, DeliveryService deliveries, Links links) {
        this.service = service;
        this.deliveries = deliveries;
        this.links = links;
    }

    @POST
    @Operation(summary = "Subscribe a URL to events", description = "Events are POSTed to it as signed CloudEvents "
            + "(Standard Webhooks). Without a secret one is generated and returned in this answer only.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = SubscriptionResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid input, an unknown event type, a secret not in the "
            + "whsec_ format, or a URL resolving to a private address")
    @Audited(action = "subscription.create", resource = "subscription")
    public Uni<Response> create(@Valid @NotNull CreateSubscriptionRequest request) {
        return service.create(request).map(created -> Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, links.location("/api/v1/subscriptions/" + created.id())).entity(created)
                .build());
    }

    @GET
    @Operation(summary = "List subscriptions", description = "Newest first (created_at desc, id desc), keyset paged.")
    @APIResponse(responseCode = "200", description = "A page of subscriptions", content = @Content(schema = @Schema(implementation = SubscriptionPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid cursor or limit")
    public Uni<PageResponse<SubscriptionResponse>> list(
            @Valid @BeanParam PageQuery page) {
        return service.list(page.after(), page.size());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one subscription")
    @APIResponse(responseCode = "200", description = "The subscription", content = @Content(schema = @Schema(implementation = SubscriptionResponse.class)))
    @APIResponse(responseCode = "404", description = "Unknown id")
    public Uni<SubscriptionResponse> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @PATCH
    @Path("{id}")
    @Operation(summary = "Change a subscription", description = "Fields left out keep their value; an empty list "
            + "means every type or number. A new secret applies to the next attempt.")
    @APIResponse(responseCode = "200", description = "The updated subscription", content = @Content(schema = @Schema(implementation = SubscriptionResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid input")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @Audited(action = "subscription.update", resource = "subscription")
    public Uni<SubscriptionResponse> patch(@PathParam("id") UUID id, @Valid @NotNull PatchSubscriptionRequest request) {
        return service.patch(id, request);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a subscription", description = "Its pending deliveries are dropped with it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @Audited(action = "subscription.delete", resource = "subscription")
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return service.delete(id);
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "A subscription's delivery attempts", description = "Newest first, keyset paged: each "
            + "attempt's event, number, the receiver's status or the error, its time and the next try.")
    @APIResponse(responseCode = "200", description = "A page of attempts", content = @Content(schema = @Schema(implementation = AttemptPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid cursor, eventId or limit")
    @APIResponse(responseCode = "404", description = "Unknown id")
    public Uni<PageResponse<DeliveryAttemptResponse>> deliveries(@PathParam("id") UUID id,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Only the attempts of this event") @QueryParam("eventId") @PositiveOrZero Long eventId,
            @Parameter(description = "Page size, 1-200 (default 50)") @QueryParam("limit") @Min(value = 1, message = PageQuery.LIMIT_RANGE) @Max(value = Cursor.MAX_LIMIT, message = PageQuery.LIMIT_RANGE) Integer limit) {
        return deliveries.attempts(id, cursor, eventId, limit == null ? Cursor.DEFAULT_LIMIT : limit);
    }

    @POST
    @Path("{id}/replay")
    @Operation(summary = "Send events again", description = "Queues the subscription's events from an event id or "
            + "a time on again (matching its types and numbers, oldest first, per-session order kept), also those "
            + "delivered or failed before; they keep their event id (webhook-id). Looks at a bounded number of "
            + "events per request: while more is true, continue from lastEventId + 1.")
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(schema = @Schema(implementation = ReplayResponse.class)))
    @APIResponse(responseCode = "400", description = "Neither or both of fromEventId and since, or invalid input")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @Audited(action = "subscription.replay", resource = "subscription")
    public Uni<Response> replay(@PathParam("id") UUID id, @Valid @NotNull ReplayRequest request) {
        return deliveries.replay(id, request).map(done -> Response.accepted(done).build());
    }

    /** OpenAPI schema of an attempt page. */
    @Schema(name = "DeliveryAttemptPage")
    public record AttemptPage(List<DeliveryAttemptResponse> items, @Schema(nullable = true) String nextCursor) {
    }

    /** OpenAPI schema of a subscription page. */
    @Schema(name = "SubscriptionPage")
    public record SubscriptionPage(List<SubscriptionResponse> items, @Schema(nullable = true) String nextCursor) {
    }
}
