package io.wagateway.webhook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.wagateway.common.Problem;
import io.wagateway.common.ProblemMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Meta's webhook endpoint: the verification handshake and signed deliveries. */
@Path("/webhooks/whatsapp")
@Tag(name = "Webhook")
public class WebhookResource {

    private final IngestService ingest;
    private final WebhookSecrets secrets;

    public WebhookResource(IngestService ingest, WebhookSecrets secrets) {
        this.ingest = ingest;
        this.secrets = secrets;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Webhook verification handshake", description = "Meta calls this when the callback URL "
            + "is saved. Answers the challenge unchanged when hub.mode is 'subscribe' and hub.verify_token equals "
            + "the webhook token of an active settings row; 403 otherwise.")
    @APIResponse(responseCode = "200", description = "The hub.challenge value, as text/plain",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(example = "1158201444")))
    @APIResponse(responseCode = "403", description = "Wrong mode or verify token")
    public Uni<Response> verify(
            @Parameter(description = "Always 'subscribe'", example = "subscribe") @QueryParam("hub.mode") String mode,
            @Parameter(description = "The verify token typed into Meta's dashboard") @QueryParam("hub.verify_token") String token,
            @Parameter(description = "Opaque value to echo", example = "1158201444") @QueryParam("hub.challenge") String challenge) {
        if (!"subscribe".equals(mode) || challenge == null) {
            return Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN).build());
        }
        return secrets.isVerifyToken(token)
                .onFailure().recoverWithItem(false)
                .map(valid -> valid ? Response.ok(challenge, MediaType.TEXT_PLAIN_TYPE).build()
                        : Response.status(Response.Status.FORBIDDEN).build());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a webhook delivery", description = "Verifies X-Hub-Signature-256 over the raw "
            + "body, then stores every message and status of the delivery in one transaction. 200 only after "
            + "commit; 503 when the database is unavailable, so that Meta retries. Redeliveries are stored once.")
    @RequestBody(description = "Meta's delivery (object whatsapp_business_account), at most the configured body limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "200", description = "Stored (or already stored)",
            content = @Content(schema = @Schema(implementation = WebhookAck.class)))
    @APIResponse(responseCode = "400", description = "Signed correctly but not JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Signature missing, malformed or wrong; nothing stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than quarkus.http.limits.max-body-size")
    @APIResponse(responseCode = "503", description = "Database unavailable; nothing stored, Meta retries",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> receive(byte[] body,
            @Parameter(description = "sha256=<hex HMAC-SHA256 of the raw body under the app secret>")
            @HeaderParam("X-Hub-Signature-256") String signature) {
        return ingest.receive(body == null ? new byte[0] : body, signature).map(result -> switch (result.outcome()) {
            case STORED, DUPLICATE -> Response.ok(WebhookAck.json(result.stored(), result.duplicates(),
                    result.statusesApplied(), result.statusesPending()), MediaType.APPLICATION_JSON_TYPE)
                    .build();
            case REJECTED_SIGNATURE -> ProblemMapper.toResponse(Problem.of(401, "Invalid signature",
                    "X-Hub-Signature-256 must be sha256=<hex HMAC-SHA256 of the raw body> under a configured app secret."));
            case INVALID -> ProblemMapper.toResponse(Problem.of(400, "Invalid delivery", result.detail()));
            case UNAVAILABLE -> Response.fromResponse(ProblemMapper.toResponse(Problem.of(503, "Storage unavailable",
                    "The delivery was not stored; retry later."))).header("Retry-After", "5").build();
        });
    }

    /** Body of a 200: what the delivery changed. */
    @RegisterForReflection
    @Schema(name = "WebhookAck")
    public record WebhookAck(
            @Schema(description = "Messages stored now", example = "1") int stored,
            @Schema(description = "Messages already stored before", example = "0") int duplicates,
            @Schema(description = "Statuses that moved a message forward", example = "0") int statusesApplied,
            @Schema(description = "Statuses kept for a message not stored yet", example = "0") int statusesPending) {

        /**
         * Written by hand as bytes: on the hottest path of the service, Jackson's entity writer cost ~14 % of its
         * CPU, and even a String entity still goes through it (an output stream per response); a byte[] entity
         * is handed to the HTTP response as it is.
         */
        static byte[] json(int stored, int duplicates, int statusesApplied, int statusesPending) {
            return ("{\"stored\":" + stored + ",\"duplicates\":" + duplicates + ",\"statusesApplied\":"
                    + statusesApplied + ",\"statusesPending\":" + statusesPending + "}")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
