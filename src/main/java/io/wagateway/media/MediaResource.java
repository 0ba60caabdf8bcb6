package io.wagateway.media;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.smallrye.mutiny.Uni;
import io.vertx.core.file.OpenOptions;
import io.vertx.mutiny.core.Vertx;
import io.wagateway.audit.Audited;
import io.wagateway.common.InvalidInputException;
import io.wagateway.common.Problem;
import io.wagateway.common.ProblemMapper;
import io.wagateway.media.dto.UploadResponse;
import io.wagateway.security.AdminApiKeyIdentityProvider;
import io.wagateway.security.OpenApiDefinition;

/**
 * {@code POST /api/v1/media} with a multipart/form-data body (part {@code file}, field {@code phoneNumberId}): the REST
 * layer buffers the file on disk (within quarkus.http.limits.max-body-size), then it is streamed from there like a
 * raw upload ({@link MediaUploadRoute}, which takes raw bodies of any size up to gateway.media.upload-max-bytes).
 */
@Path("/api/v1/media")
@Tag(name = "Media")
@RolesAllowed(AdminApiKeyIdentityProvider.ROLE)
@SecurityRequirement(name = OpenApiDefinition.ADMIN_SCHEME)
@APIResponse(responseCode = "401", description = "No or invalid admin API key")
public class MediaResource {

    private final MediaUploadRoute uploads;
    private final Vertx vertx;

    public MediaResource(MediaUploadRoute uploads, Vertx vertx) {
        this.uploads = uploads;
        this.vertx = vertx;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a file to Meta and keep it", description = "The file as the part \"file\" of a "
            + "multipart/form-data body (its filename and Content-Type are kept), with the field phoneNumberId (optional "
            + "when one business number is active). Also accepted: the raw file as the body with its MIME type as "
            + "Content-Type, ?phoneNumberId= and ?filename= (any size up to gateway.media.upload-max-bytes; multipart "
            + "bodies are bounded by quarkus.http.limits.max-body-size). Answers Meta's media id, to send with "
            + "{\"type\":\"image\",\"image\":{\"id\":\"<id>\"}}.")
    @APIResponse(responseCode = "201", description = "Uploaded to Meta and stored", content = @Content(schema = @Schema(implementation = UploadResponse.class)))
    @APIResponse(responseCode = "400", description = "No file part, an empty file, or several business numbers active and no phoneNumberId")
    @APIResponse(responseCode = "413", description = "Larger than the type's limit or the upload limit")
    @APIResponse(responseCode = "415", description = "The file part has no Content-Type")
    @APIResponse(responseCode = "422", description = "phoneNumberId has no active settings row")
    @APIResponse(responseCode = "502", description = "Meta refused the upload, or the file could not be stored")
    @Audited(action = "media.upload", resource = "media")
    public Uni<Response> upload(@RestForm("file") FileUpload file, @RestForm("phoneNumberId") String phoneNumberId) {
        if (file == null) {
            throw new InvalidInputException("File required", "Send the file as the part \"file\".", java.util.List.of());
        }
        String type = file.contentType() == null ? null : file.contentType().strip();
        Problem refused = uploads.refusal(type, file.size());
        if (refused != null) {
            return Uni.createFrom().item(ProblemMapper.toResponse(refused));
        }
        String filename = file.fileName() == null || file.fileName().isBlank() ? null : file.fileName();
        return Uni.createFrom().completionStage(() -> vertx.getDelegate().fileSystem()
                .open(file.uploadedFile().toString(), new OpenOptions().setRead(true)).toCompletionStage())
                .chain(body -> uploads.accept(body, file.size(), type, filename, phoneNumberId)
                        .onTermination().invoke(() -> body.close()))
                .map(done -> Response.status(201).entity(done).build())
                .onFailure(MediaUploadRoute.Refused.class)
                .recoverWithItem(f -> ProblemMapper.toResponse(((MediaUploadRoute.Refused) f).problem()))
                .onFailure(f -> !(f instanceof io.wagateway.common.DomainException))
                .recoverWithItem(f -> ProblemMapper.toResponse(Problem.of(502, "Upload failed",
                        "The file could not be stored or uploaded to Meta (" + f.getClass().getSimpleName()
                                + "); nothing was kept.")));
    }
}
