package io.wagateway.settings;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;
import io.wagateway.settings.dto.AccountEventResponse;
import io.wagateway.settings.dto.CreateSettingsRequest;
import io.wagateway.settings.dto.SettingsResponse;
import io.wagateway.settings.dto.UpdateSettingsRequest;

@Path("/api/v1/settings")
@Tag(name = "Settings")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class SettingsResource {

    private final SettingsService service;
    private final AccountEventService accountEvents;
    private final Links links;

    public SettingsResource(SettingsService service, AccountEventService accountEvents, Links links) {
        this.service = service;
        this.accountEvents = accountEvents;
        this.links = links;
    }

    @POST
    @Operation(summary = "Add a business number", description = "Stores the number's credentials encrypted; "
            + "secrets are write-only and never returned.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = SettingsResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid input, with one entry per field")
    @APIResponse(responseCode = "409", description = "An active row for this phone number id exists")
    @Audited(action = "settings.create", resource = "settings")
    public Uni<Response> create(@Valid @NotNull CreateSettingsRequest request) {
        // Location from configuration (gateway.api.public-base-url) or relative, never from the Host header
        return service.create(request).map(created -> Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, links.location("/api/v1/settings/" + created.id())).entity(created).build());
    }

    @GET
    @Operation(summary = "List business numbers", description = "Keyset paged, oldest first.")
    @APIResponse(responseCode = "200", description = "A page of settings", content = @Content(schema = @Schema(implementation = SettingsPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid cursor or limit")
    public Uni<PageResponse<SettingsResponse>> list(@Valid @BeanParam PageQuery page) {
        return service.list(page.after(), page.size());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one business number")
    @APIResponse(responseCode = "200", description = "The settings", content = @Content(schema = @Schema(implementation = SettingsResponse.class)))
    @APIResponse(responseCode = "404", description = "Unknown id")
    public Uni<SettingsResponse> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @GET
    @Path("{id}/events")
    @Operation(summary = "List a business number's account events", description = "The account webhook changes "
            + "(account_update, account_alerts, phone_number_quality_update, phone_number_name_update) stored for "
            + "this number, newest first, keyset paged.")
    @APIResponse(responseCode = "200", description = "A page of account events", content = @Content(schema = @Schema(implementation = AccountEventPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid cursor or limit")
    @APIResponse(responseCode = "404", description = "Unknown id")
    public Uni<PageResponse<AccountEventResponse>> events(@PathParam("id") UUID id,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1-200 (default 50)") @QueryParam("limit") @Min(value = 1, message = PageQuery.LIMIT_RANGE) @Max(value = Cursor.MAX_LIMIT, message = PageQuery.LIMIT_RANGE) Integer limit) {
        return accountEvents.list(id, cursor, limit == null ? Cursor.DEFAULT_LIMIT : limit);
    }

    @PUT
    @Operation(summary = "Update a business number", description = "Fields left out keep their value, so "
            + "secrets need not be sent again.")
    @APIResponse(responseCode = "200", description = "The updated settings", content = @Content(schema = @Schema(implementation = SettingsResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid input")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @APIResponse(responseCode = "409", description = "Another active row has this phone number id")
    @Path("{id}")
    @Audited(action = "settings.update", resource = "settings")
    public Uni<SettingsResponse> update(@PathParam("id") UUID id, @Valid @NotNull UpdateSettingsRequest request) {
        return service.update(id, request);
    }

    @PATCH
    @Path("{id}")
    @Operation(summary = "Update a business number (same as PUT)", description = "Fields left out keep their value.")
    @APIResponse(responseCode = "200", description = "The updated settings", content = @Content(schema = @Schema(implementation = SettingsResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid input")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @APIResponse(responseCode = "409", description = "Another active row has this phone number id")
    @Audited(action = "settings.update", resource = "settings")
    public Uni<SettingsResponse> patch(@PathParam("id") UUID id, @Valid @NotNull UpdateSettingsRequest request) {
        return service.update(id, request);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a business number")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @Audited(action = "settings.delete", resource = "settings")
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return service.delete(id);
    }

    /** OpenAPI schema of a page of account events. */
    @Schema(name = "AccountEventPage")
    public record AccountEventPage(java.util.List<AccountEventResponse> items,
            @Schema(nullable = true) String nextCursor) {
    }

    /** OpenAPI schema of a settings page (generic records have no schema of their own). */
    @Schema(name = "SettingsPage")
    public record SettingsPage(java.util.List<SettingsResponse> items,
            @Schema(nullable = true) String nextCursor) {
    }
}
