package io.wagateway.conversation;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.wagateway.audit.Audited;
import io.wagateway.common.DomainException;
import io.wagateway.common.Problem;
import io.wagateway.common.ProblemMapper;
import io.wagateway.conversation.dto.MessageResponse;
import io.wagateway.conversation.dto.SendMessageRequest;
import io.wagateway.media.MediaService;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;

@Path("/api/v1/messages")
@Tag(name = "Messages")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class MessageResource {

    private final MessageService service;
    private final ObjectMapper mapper;

    public MessageResource(MessageService service, ObjectMapper mapper) {
        this.service = service;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a message through the Graph API", description = "Takes Meta's send-message object (without messaging_product) and an optional phoneNumberId; "
            + "sends it with messaging_product and recipient_type added, and stores it OUTBOUND with Meta's "
            + "wamid and status accepted. Free-form messages need the customer's 24-hour window to be open; "
            + "templates can always be sent. 429/5xx answers of the Graph API are retried with backoff "
            + "(up to 3 retries); other errors are never retried.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SendMessageRequest.class), examples = {
            @ExampleObject(name = "text", value = "{\"to\": \"+16505551234\", \"type\": \"text\", "
                    + "\"text\": {\"body\": \"Your order has shipped\"}}"),
            @ExampleObject(name = "template", value = "{\"to\": \"+16505551234\", \"type\": \"template\", "
                    + "\"template\": {\"name\": \"order_update\", \"language\": {\"code\": \"en_US\"}, "
                    + "\"components\": [{\"type\": \"body\", \"parameters\": [{\"type\": \"text\", "
                    + "\"text\": \"48213\"}]}]}}"),
            @ExampleObject(name = "interactive buttons", value = "{\"to\": \"+16505551234\", "
                    + "\"type\": \"interactive\", \"interactive\": {\"type\": \"button\", \"body\": {\"text\": "
                    + "\"Confirm your order?\"}, \"action\": {\"buttons\": [{\"type\": \"reply\", \"reply\": "
                    + "{\"id\": \"confirm\", \"title\": \"Confirm\"}}]}}}") }))
    @APIResponse(responseCode = "201", description = "Accepted by Meta and stored", content = @Content(schema = @Schema(implementation = MessageResponse.class)))
    @APIResponse(responseCode = "202", description = "Accepted by Meta (messageId is its wamid) but not stored yet: "
            + "the row is written in the background, so id and sessionId are null. Do not send it again.", content = @Content(schema = @Schema(implementation = MessageResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid message (also: control characters other than tab, "
            + "line feed and carriage return in any text), or several business numbers active and no "
            + "phoneNumberId")
    @APIResponse(responseCode = "409", description = "Free-form message outside the 24-hour window (nothing sent), "
            + "or no active business number")
    @APIResponse(responseCode = "422", description = "phoneNumberId has no active settings row")
    @APIResponse(responseCode = "502", description = "The Graph API refused or failed; carries Meta's code, "
            + "errorSubcode and fbtraceId")
    @APIResponse(responseCode = "504", description = "The Graph API did not answer in time (not retried)")
    @Audited(action = "message.send", resource = "message")
    public Uni<Response> send(JsonNode body) {
        return service.send(body).map(sent -> Response.status(sent.stored() ? Response.Status.CREATED
                : Response.Status.ACCEPTED).entity(sent.message()).build());
    }

    @POST
    @Path("{wamid}/read")
    @Operation(summary = "Mark an inbound message as read", description = "Sends Meta's read receipt (which also marks earlier messages of the chat as read) through "
            + "the business number the message came in on, then sets the message's status to read.")
    @APIResponse(responseCode = "200", description = "Marked read; the updated message", content = @Content(schema = @Schema(implementation = MessageResponse.class)))
    @APIResponse(responseCode = "404", description = "Unknown wamid")
    @APIResponse(responseCode = "409", description = "The message is OUTBOUND, or its business number is inactive")
    @APIResponse(responseCode = "502", description = "The Graph API refused or failed")
    @Audited(action = "message.read", resource = "message", idParam = "wamid")
    public Uni<MessageResponse> markRead(
            @Parameter(description = "Meta's wamid of the inbound message") @PathParam("wamid") String wamid) {
        return service.markRead(wamid);
    }

    @GET
    @Path("{id}/media")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download a message's file", description = "Streams the stored file of an image, video, audio, "
            + "document or sticker message (inbound: downloaded from Meta in the background; outbound: uploaded "
            + "through POST /api/v1/media) with Content-Type, Content-Length, ETag (its hex SHA-256) and, for "
            + "documents, Content-Disposition with the filename. One byte range (Range: bytes=a-b, a-, -n) answers "
            + "206 with Content-Range.")
    @APIResponse(responseCode = "200", description = "The file", content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "206", description = "The requested byte range", content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such message, or it carries no file")
    @APIResponse(responseCode = "409", description = "The file is still being downloaded from Meta")
    @APIResponse(responseCode = "410", description = "The download failed for good (the reason is in the problem and in the message's media.error)")
    @APIResponse(responseCode = "416", description = "The range lies outside the file (Content-Range: bytes */size)")
    public Multi<Buffer> media(@Parameter(description = "The message's id") @PathParam("id") UUID id,
            @Parameter(description = "One byte range, e.g. bytes=0-1023") @HeaderParam("Range") String range) {
        // RestMulti has committed its status once the Uni ends: a domain failure becomes the problem answer here.
        Uni<MediaService.Download> download = service.media(id, range).onFailure(DomainException.class)
                .recoverWithItem(f -> problem((DomainException) f));
        return RestMulti.fromUniResponse(download, MediaService.Download::body, MediaService.Download::headers,
                MediaService.Download::status);
    }

    private MediaService.Download problem(DomainException e) {
        Problem problem = ProblemMapper.toProblem(e);
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(problem);
        } catch (com.fasterxml.jackson.core.JsonProcessingException json) {
            throw new IllegalStateException(json);
        }
        return new MediaService.Download(problem.status(), Map.of("Content-Type", List.of(Problem.MEDIA_TYPE),
                "Content-Length", List.of(String.valueOf(body.length))), Multi.createFrom().item(Buffer.buffer(body)));
    }
}
