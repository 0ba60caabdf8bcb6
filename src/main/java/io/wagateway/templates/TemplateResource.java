package io.wagateway.templates;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import io.smallrye.mutiny.Uni;
import io.wagateway.audit.Audited;
import io.wagateway.common.Cursor;
import io.wagateway.common.PageQuery;
import io.wagateway.common.PageResponse;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;
import io.wagateway.templates.dto.SyncResponse;
import io.wagateway.templates.dto.TemplateResponse;

@Path("/api/v1/templates")
@Tag(name = "Templates")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class TemplateResource {

    private final TemplateService service;
    private final TemplateSync sync;

    public TemplateResource(TemplateService service, TemplateSync sync) {
        this.service = service;
        this.sync = sync;
    }

    @GET
    @Operation(summary = "List message templates", description = "The templates of the business accounts as last "
            + "read from the Graph API or changed by Meta's template webhooks, by name, language and id, keyset paged.")
    @APIResponse(responseCode = "200", description = "A page of templates", content = @Content(schema = @Schema(implementation = TemplatePage.class)))
    @APIResponse(responseCode = "400", description = "Invalid cursor or limit")
    public Uni<PageResponse<TemplateResponse>> list(
            @Parameter(description = "Only templates of this name") @QueryParam("name") String name,
            @Parameter(description = "Only this status (APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ...)") @QueryParam("status") String status,
            @Parameter(description = "Only this category (MARKETING, UTILITY, AUTHENTICATION)") @QueryParam("category") String category,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1-200 (default 50)") @QueryParam("limit") @Min(value = 1, message = PageQuery.LIMIT_RANGE) @Max(value = Cursor.MAX_LIMIT, message = PageQuery.LIMIT_RANGE) Integer limit) {
        return service.list(blankToNull(name), blankToNull(status), blankToNull(category), cursor,
                limit == null ? Cursor.DEFAULT_LIMIT : limit);
    }

    @POST
    @Path("sync")
    @Audited(action = "templates.sync", resource = "template")
    @Operation(summary = "Read the templates from the Graph API now", description = "Reads GET /{waba-id}/"
            + "message_templates (every page) for every active business account and stores what it lists. Skipped "
            + "(skipped: true) while another replica runs a sync.")
    @APIResponse(responseCode = "200", description = "The outcome of the sync", content = @Content(schema = @Schema(implementation = SyncResponse.class)))
    public Uni<SyncResponse> sync() {
        return sync.run();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** OpenAPI schema of a template page. */
    @Schema(name = "TemplatePage")
    public record TemplatePage(List<TemplateResponse> items, @Schema(nullable = true) String nextCursor) {
    }
}
