package io.wagateway.common;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The one OpenAPI description of an error answer: every 4xx/5xx response that an operation documents without a
 * body (annotations give only status and description) gets {@code application/problem+json} with the
 * {@link Problem} schema. A response marked {@value #NO_BODY} is left bodyless (and the mark removed).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    /** Extension on an error response that really has no body, e.g. the handshake's 403. */
    public static final String NO_BODY = "x-no-body";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            Map<PathItem.HttpMethod, Operation> operations = path.getOperations();
            if (operations != null) {
                operations.values().forEach(ProblemResponses::describeProblems);
            }
        }
    }

    static void describeProblems(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (!isError(status)) {
                return;
            }
            if (response.getExtensions() != null && response.getExtensions().containsKey(NO_BODY)) {
                response.removeExtension(NO_BODY);
                return;
            }
            if (response.getContent() == null || response.getContent().getMediaTypes() == null
                    || response.getContent().getMediaTypes().isEmpty()) {
                response.setContent(problemContent());
            }
        });
    }

    static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("#/components/schemas/Problem")));
    }

    private static boolean isError(String status) {
        return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
    }
}
