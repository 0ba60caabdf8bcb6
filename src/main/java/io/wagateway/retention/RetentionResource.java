package io.wagateway.retention;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.wagateway.audit.Audited;
import io.wagateway.retention.dto.PutRetentionRequest;
import io.wagateway.retention.dto.RetentionOverride;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;

@Path("/api/v1/retention")
@Tag(name = "Retention")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class RetentionResource {

    private static final String NUMBER = "[0-9A-Za-z_-]{1,64}";

    private final RetentionService service;

    public RetentionResource(RetentionService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "List the per-number message retentions", description = "Every business number with its "
            + "own retention (one row per number), by phoneNumberId; the others follow gateway.retention.messages.")
    @APIResponse(responseCode = "200", description = "The overrides", content = @Content(schema = @Schema(implementation = RetentionOverride[].class)))
    public Uni<List<RetentionOverride>> list() {
        return service.list();
    }

    @GET
    @Path("{phoneNumberId}")
    @Operation(summary = "Get one business number's message retention")
    @APIResponse(responseCode = "200", description = "The override", content = @Content(schema = @Schema(implementation = RetentionOverride.class)))
    @APIResponse(responseCode = "400", description = "Invalid phoneNumberId")
    @APIResponse(responseCode = "404", description = "The number has no override")
    public Uni<RetentionOverride> get(@PathParam("phoneNumberId") @Pattern(regexp = NUMBER) String phoneNumberId) {
        return service.get(phoneNumberId);
    }

    @PUT
    @Path("{phoneNumberId}")
    @Operation(summary = "Set a business number's message retention", description = "Its messages older than this "
            + "are dropped by the retention job, whatever gateway.retention.messages says.")
    @APIResponse(responseCode = "200", description = "The override", content = @Content(schema = @Schema(implementation = RetentionOverride.class)))
    @APIResponse(responseCode = "400", description = "Invalid phoneNumberId or duration")
    @Audited(action = "retention.put", resource = "retention", idParam = "phoneNumberId")
    public Uni<RetentionOverride> put(@PathParam("phoneNumberId") @Pattern(regexp = NUMBER) String phoneNumberId,
            @Valid @NotNull PutRetentionRequest request) {
        return service.put(phoneNumberId, request.messages());
    }

    @DELETE
    @Path("{phoneNumberId}")
    @Operation(summary = "Remove a business number's message retention", description = "Its messages follow "
            + "gateway.retention.messages again.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "400", description = "Invalid phoneNumberId")
    @APIResponse(responseCode = "404", description = "The number has no override")
    @Audited(action = "retention.delete", resource = "retention", idParam = "phoneNumberId")
    public Uni<Void> delete(@PathParam("phoneNumberId") @Pattern(regexp = NUMBER) String phoneNumberId) {
        return service.delete(phoneNumberId);
    }
}
