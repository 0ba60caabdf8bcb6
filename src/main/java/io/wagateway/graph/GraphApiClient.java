package io.wagateway.graph;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * Meta's Graph API: the messages endpoint ({@code POST /{version}/{phone_number_id}/messages}: sends and
 * read receipts) and the template list of a business account. Bodies stay JSON trees so every Meta message type passes through
 * unchanged.
 */
@RegisterRestClient(configKey = "graph-api")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface GraphApiClient {

    @POST
    @Path("{version}/{phoneNumberId}/messages")
    Uni<JsonNode> messages(@PathParam("version") String version, @PathParam("phoneNumberId") String phoneNumberId,
            @HeaderParam("Authorization") String authorization, JsonNode body);

    /** One page of a business account's templates ({@code GET /{version}/{waba-id}/message_templates}). */
    @GET
    @Path("{version}/{wabaId}/message_templates")
    Uni<JsonNode> messageTemplates(@PathParam("version") String version, @PathParam("wabaId") String wabaId,
            @QueryParam("fields") String fields, @QueryParam("limit") int limit, @QueryParam("after") String after,
            @HeaderParam("Authorization") String authorization);

    /** Non-2xx answers become GraphApiException: retryable (429/5xx) or rejected (other 4xx). */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        JsonNode error = null;
        try {
            String body = response.readEntity(String.class);
            if (body != null && !body.isBlank()) {
                error = new ObjectMapper().readTree(body).path("error");
            }
        } catch (Exception e) {
            // Not JSON (a proxy's HTML page, say): the HTTP status alone is all we know.
        }
        GraphError graphError = GraphError.from(status, error);
        return GraphApiException.isRetryable(status) ? new GraphUnavailableException(graphError)
                : new GraphRejectedException(graphError);
    }
}
