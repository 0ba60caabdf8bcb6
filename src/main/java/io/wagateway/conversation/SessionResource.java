package io.wagateway.conversation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

import io.smallrye.mutiny.Uni;
import io.wagateway.audit.Audited;
import io.wagateway.common.PageQuery;
import io.wagateway.common.PageResponse;
import io.wagateway.conversation.dto.MessageResponse;
import io.wagateway.conversation.dto.PatchSessionRequest;
import io.wagateway.conversation.dto.SessionResponse;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;

@Path("/api/v1/sessions")
@Tag(name = "Sessions")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class SessionResource {

    /** Digits with any of + ( ) - . and spaces among them (at most 32 digits), or nothing. */
    /** A BSUID: a two-letter country code, a period, then letters and digits (a parent BSUID has ENT. in it). */
    static final String USER_ID_FILTER = "\\s*|[A-Za-z]{2}\\.[A-Za-z0-9.]{1,200}";
    /** A username: letters, digits, periods and underscores, optionally after an @. */
    static final String USERNAME_FILTER = "\\s*|@?[\\p{L}\\p{N}._]{1,100}";

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static String normalizeUsername(String username) {
        String value = blankToNull(username);
        return value != null && value.startsWith("@") ? value.substring(1) : value;
    }

    static final String PHONE_FILTER = "\\s*|[\\s+()\\-.]*(\\d[\\s+()\\-.]*){1,32}";

    private final SessionService sessions;
    private final MessageService messages;

    public SessionResource(SessionService sessions, MessageService messages) {
        this.sessions = sessions;
        this.messages = messages;
    }

    @GET
    @Operation(summary = "List conversations", description = "Most recently updated first (updated_at desc, id desc), "
            + "keyset paged; each item carries its latest message and its status.")
    @APIResponse(responseCode = "200", description = "A page of sessions", content = @Content(schema = @Schema(implementation = SessionPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid filter, cursor or limit")
    public Uni<PageResponse<SessionResponse>> list(
            @Parameter(description = "Customer phone number (digits; +, spaces, - and () are ignored)") @QueryParam("phoneNumber") @Pattern(regexp = PHONE_FILTER, message = "must be a phone number (digits, optionally +, spaces, -, ())") String phoneNumber,
            @Parameter(description = "The customer's business-scoped user id (BSUID), e.g. US.13491208655302741918") @QueryParam("userId") @Pattern(regexp = USER_ID_FILTER, message = "must be a business-scoped user id (e.g. US.13491208655302741918)") String userId,
            @Parameter(description = "The customer's WhatsApp username (a leading @ is ignored)") @QueryParam("username") @Pattern(regexp = USERNAME_FILTER, message = "must be a WhatsApp username") String username,
            @Parameter(description = "A whatsapp_session_state") @QueryParam("state") SessionState state,
            @Parameter(description = "Only sessions updated at or after this ISO-8601 instant, e.g. 2026-11-25T13:00:00Z") @QueryParam("updatedSince") Instant updatedSince,
            @Valid @BeanParam PageQuery page) {
        return sessions.list(SessionService.normalizePhone(phoneNumber), blankToNull(userId), normalizeUsername(username),
                state, updatedSince, page.after(), page.size());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one conversation", description = "With its customer profile, its latest message and its "
            + "24-hour customer service window (windowOpen, windowExpiresAt).")
    @APIResponse(responseCode = "200", description = "The session", content = @Content(schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "404", description = "Unknown id")
    public Uni<SessionResponse> get(@PathParam("id") UUID id) {
        return sessions.get(id);
    }

    @PATCH
    @Path("{id}")
    @Operation(summary = "Change a conversation's state or context data", description = "Fields left out keep their value; contextData replaces the stored object (null clears it). "
            + "updatedAt always moves.")
    @APIResponse(responseCode = "200", description = "The updated session", content = @Content(schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "400", description = "Unknown state or contextData not an object")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @Audited(action = "session.update", resource = "session")
    public Uni<SessionResponse> patch(@PathParam("id") UUID id, @Valid @NotNull PatchSessionRequest request) {
        return sessions.patch(id, request);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a conversation", description = "Its messages are deleted with it. Tombstones of "
            + "its wamids and of the deletion time keep Meta's retries of it from storing it again.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown id")
    @Audited(action = "session.delete", resource = "session")
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return sessions.delete(id);
    }

    @GET
    @Path("{id}/messages")
    @Operation(summary = "List a conversation's messages", description = "Newest first (created_at desc, id desc), "
            + "keyset paged, optionally only one direction.")
    @APIResponse(responseCode = "200", description = "A page of messages", content = @Content(schema = @Schema(implementation = MessagePage.class)))
    @APIResponse(responseCode = "400", description = "Invalid direction, cursor or limit")
    @APIResponse(responseCode = "404", description = "Unknown session")
    public Uni<PageResponse<MessageResponse>> messages(@PathParam("id") UUID id,
            @Parameter(description = "INBOUND or OUTBOUND") @QueryParam("direction") MessageDirection direction,
            @Valid @BeanParam PageQuery page) {
        return messages.listForSession(id, direction, page.after(), page.size());
    }

    /** OpenAPI schema of a session page (generic records have no schema of their own). */
    @Schema(name = "SessionPage")
    public record SessionPage(List<SessionResponse> items, @Schema(nullable = true) String nextCursor) {
    }

    /** OpenAPI schema of a message page. */
    @Schema(name = "MessagePage")
    public record MessagePage(List<MessageResponse> items, @Schema(nullable = true) String nextCursor) {
    }
}
