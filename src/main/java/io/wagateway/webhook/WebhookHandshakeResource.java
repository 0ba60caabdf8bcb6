package io.wagateway.webhook;

import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.wagateway.common.Problem;
import io.wagateway.common.ProblemMapper;
import io.wagateway.common.ProblemResponses;

/**
 * Meta's verification handshake. Signed deliveries ({@code POST} on the same path) are a plain Vert.x route:
 * {@link WebhookRoute}.
 */
@Path(WebhookRoute.PATH)
@Tag(name = "Webhook")
@PermitAll
public class WebhookHandshakeResource {

    /** What Meta sends as hub.challenge (digits); anything else is never echoed back (no reflected content). */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final WebhookSecrets secrets;

    public WebhookHandshakeResource(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Webhook verification handshake", description = "Meta calls this when the callback URL "
            + "is saved. Answers the challenge unchanged when hub.mode is 'subscribe' and hub.verify_token equals "
            + "the webhook token of an active settings row; 403 otherwise.")
    @APIResponse(responseCode = "200", description = "The hub.challenge value, as text/plain", content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(example = "1158201444")))
    @APIResponse(responseCode = "400", description = "hub.challenge is not 1-128 of A-Z, a-z, 0-9, _ and -")
    @APIResponse(responseCode = "403", description = "Wrong mode or verify token (no body)", extensions = @Extension(name = ProblemResponses.NO_BODY, value = "true"))
    public Uni<Response> verify(
            @Parameter(description = "Always 'subscribe'", example = "subscribe") @QueryParam("hub.mode") String mode,
            @Parameter(description = "The verify token typed into Meta's dashboard") @QueryParam("hub.verify_token") String token,
            @Parameter(description = "Opaque value to echo", example = "1158201444") @QueryParam("hub.challenge") String challenge) {
        if (!"subscribe".equals(mode) || challenge == null) {
            return Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN).build());
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            return Uni.createFrom().item(ProblemMapper.toResponse(Problem.of(400, "Invalid challenge",
                    "hub.challenge must be 1-128 characters of A-Z, a-z, 0-9, _ and -.")));
        }
        return secrets.isVerifyToken(token)
                .onFailure().recoverWithItem(false)
                .map(valid -> valid ? Response.ok(challenge, MediaType.TEXT_PLAIN_TYPE).build()
                        : Response.status(Response.Status.FORBIDDEN).build());
    }
}
