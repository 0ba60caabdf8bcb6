package io.wagateway.conversation;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
import org.jboss.resteasy.reactive.RestMulti;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.wagateway.audit.Audited;
import io.wagateway.common.PageQuery;
import io.wagateway.common.PageResponse;
import io.wagateway.conversation.dto.CustomerResponse;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;

@Path("/api/v1/customers")
@Tag(name = "Customers")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class CustomerResource {

    private final CustomerService customers;

    public CustomerResource(CustomerService customers) {
        this.customers = customers;
    }

    @GET
    @Operation(summary = "List customers", description = "Newest first (created_at desc, id desc), keyset paged; "
            + "each with the ids and phone numbers of their sessions.")
    @APIResponse(responseCode = "200", description = "A page of customers", content = @Content(schema = @Schema(implementation = CustomerPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid filter, cursor or limit")
    public Uni<PageResponse<CustomerResponse>> list(
            @Parameter(description = "Meta's WhatsApp user id (digits; +, spaces, - and () are ignored)") @QueryParam("waId") @Pattern(regexp = SessionResource.PHONE_FILTER, message = "must be a WhatsApp user id (digits, optionally +, spaces, -, ())") String waId,
            @Parameter(description = "Business-scoped user id (BSUID), e.g. US.13491208655302741918") @QueryParam("userId") @Pattern(regexp = SessionResource.USER_ID_FILTER, message = "must be a business-scoped user id (e.g. US.13491208655302741918)") String userId,
            @Parameter(description = "WhatsApp username (a leading @ is ignored)") @QueryParam("username") @Pattern(regexp = SessionResource.USERNAME_FILTER, message = "must be a WhatsApp username") String username,
            @Valid @BeanParam PageQuery page) {
        return customers.list(new CustomerRepository.Filter(SessionService.normalizePhone(waId),
                SessionResource.blankToNull(userId), SessionResource.normalizeUsername(username)), page.after(),
                page.size());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one customer", description = "With the ids and phone numbers of their sessions.")
    @APIResponse(responseCode = "200", description = "The customer", content = @Content(schema = @Schema(implementation = CustomerResponse.class)))
    @APIResponse(responseCode = "404", description = "Unknown id")
    public Uni<CustomerResponse> get(@PathParam("id") UUID id) {
        return customers.get(id);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Erase a customer", description = "Deletes, in one transaction, the customer, their sessions "
            + "and messages, the statuses kept for their messages and the event-log entries of their sessions, and "
            + "emits whatsapp.customer.erased (ids only). Tombstones without personal data (hashes) keep Meta's "
            + "retries of the erased messages from storing them again.")
    @APIResponse(responseCode = "204", description = "Erased")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @Audited(action = "customer.erase", resource = "customer")
    public Uni<Void> erase(@PathParam("id") UUID id) {
        return customers.erase(id);
    }

    @GET
    @Path("{id}/export")
    @Operation(summary = "Export everything held about a customer", description = "One JSON document: the profile, "
            + "the sessions with their context data, every message with its metadata and status, and the statuses "
            + "kept for messages not stored yet. Streamed (chunked), messages read a page at a time.")
    @APIResponse(responseCode = "200", description = "The export", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CustomerExportDocument.class)))
    @APIResponse(responseCode = "404", description = "Unknown id")
    public Multi<Buffer> export(@PathParam("id") UUID id) {
        // Bytes written as the chunks come (a String would be JSON-quoted, and the chunks wrapped in an array).
        return RestMulti.fromMultiData(customers.export(id).map(Buffer::buffer)).encodeAsJsonArray(false).build();
    }

    /** OpenAPI schema of a customer page. */
    @Schema(name = "CustomerPage")
    public record CustomerPage(List<CustomerResponse> items, @Schema(nullable = true) String nextCursor) {
    }

    /** OpenAPI schema of the export (the resource streams it as text). */
    @Schema(name = "CustomerExport")
    public record CustomerExportDocument(
            @Schema(description = "When the export was made") String exportedAt,
            @Schema(description = "id, waId, displayName, createdAt, updatedAt, conversationDeletedAt") Map<String, Object> customer,
            @Schema(description = "Each session (id, phoneNumber, phoneNumberId, state, contextData, lastMessageAt, "
                    + "lastInboundAt, createdAt, updatedAt) with messages: every message, oldest first (id, messageId, "
                    + "direction, messageType, content, metadata, status, statusAt, statusErrors, waTimestamp, "
                    + "phoneNumberId, createdAt)") List<Map<String, Object>> sessions,
            @Schema(description = "Statuses kept for messages to their numbers not stored yet (messageId, status, "
                    + "statusAt, errors, receivedAt)") List<Map<String, Object>> pendingStatuses) {
    }
}
