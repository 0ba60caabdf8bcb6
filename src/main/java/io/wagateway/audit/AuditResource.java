package io.wagateway.audit;

import java.time.Instant;
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
import io.wagateway.audit.dto.AuditEntryResponse;
import io.wagateway.common.Cursor;
import io.wagateway.common.PageQuery;
import io.wagateway.common.PageResponse;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;

@Path("/api/v1/audit")
@Tag(name = "Audit")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class AuditResource {

    private final AuditService service;

    public AuditResource(AuditService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Read the audit log", description = "Admin writes (also refused ones) and database commands, "
            + "newest first, keyset paged: which admin key (its name and fingerprint, never the key), what, "
            + "which row, when and the answer's status.")
    @APIResponse(responseCode = "200", description = "A page of entries", content = @Content(schema = @Schema(implementation = AuditPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid cursor, since, until or limit")
    public Uni<PageResponse<AuditEntryResponse>> list(
            @Parameter(description = "Only this actor (admin-key-N or cli)") @QueryParam("actor") String actor,
            @Parameter(description = "Only this action (settings.update, ...)") @QueryParam("action") String action,
            @Parameter(description = "Only this resource type (settings, session, ...)") @QueryParam("resourceType") String resourceType,
            @Parameter(description = "Only this row") @QueryParam("resourceId") String resourceId,
            @Parameter(description = "Only entries at or after this time (ISO-8601)", schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("since") Instant since,
            @Parameter(description = "Only entries before this time (ISO-8601)", schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("until") Instant until,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1-200 (default 50)") @QueryParam("limit") @Min(value = 1, message = PageQuery.LIMIT_RANGE) @Max(value = Cursor.MAX_LIMIT, message = PageQuery.LIMIT_RANGE) Integer limit) {
        AuditLog.Filter filter = new AuditLog.Filter(blankToNull(actor), blankToNull(action),
                blankToNull(resourceType), blankToNull(resourceId), since, until);
        return service.list(filter, cursor, limit == null ? Cursor.DEFAULT_LIMIT : limit);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** OpenAPI schema of an audit page. */
    @Schema(name = "AuditPage")
    public record AuditPage(List<AuditEntryResponse> items, @Schema(nullable = true) String nextCursor) {
    }
}
