package io.wagateway.common;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every error leaves as application/problem+json with a message a person can act on, never a stack trace. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final int maxJsonDepth;

    public ProblemMapper(ApiConfig config) {
        this.maxJsonDepth = config.jsonMaxDepth();
    }

    public static Response toResponse(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The HTTP answer to a domain failure: the one place that gives each kind its status. */
    public static Problem toProblem(DomainException e) {
        if (e instanceof InvalidInputException invalid) {
            return Problem.withErrors(400, e.title(), e.detail(), invalid.errors());
        }
        if (e instanceof NotFoundException) {
            return Problem.of(404, e.title(), e.detail());
        }
        if (e instanceof ConflictException) {
            return Problem.of(409, e.title(), e.detail());
        }
        if (e instanceof GoneException) {
            return Problem.of(410, e.title(), e.detail());
        }
        if (e instanceof UnknownReferenceException unknown) {
            return Problem.withErrors(422, e.title(), e.detail(), List.of(unknown.error()));
        }
        if (e instanceof UnavailableException) {
            return Problem.of(503, e.title(), e.detail());
        }
        if (e instanceof UpstreamException upstream) {
            return Problem.upstream(upstream.timedOut() ? 504 : 502, e.title(), e.detail(), upstream.code(),
                    upstream.subcode(), upstream.traceId());
        }
        LOG.errorf("No HTTP status for %s; answering 500", e.getClass().getName());
        return Problem.internalError();
    }

    @ServerExceptionMapper
    public Response domain(DomainException e) {
        Response response = toResponse(toProblem(e));
        if (e instanceof UnavailableException unavailable) {
            long seconds = Math.max(1, (unavailable.retryAfter().toMillis() + 999) / 1000);
            return Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, seconds).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        return toResponse(Problem.validation(e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList()));
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        String field = jsonPath(e);
        Class<?> target = e.getTargetType();
        String allowed = target != null && target.isEnum()
                ? "; one of " + java.util.Arrays.toString(target.getEnumConstants())
                : "";
        String detail = "Value " + e.getValue() + " is not valid for " + field + allowed + ".";
        return toResponse(Problem.withErrors(400, InvalidInputException.TITLE, detail,
                List.of(new FieldError(field, "invalid value: " + e.getValue()))));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        if (StrictUtf8.find(e) != null) {
            return invalidUtf8(StrictUtf8.find(e));
        }
        String field = jsonPath(e);
        return toResponse(Problem.withErrors(400, InvalidInputException.TITLE, "Field " + field + " has the wrong type.",
                List.of(new FieldError(field, "wrong type"))));
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String field = jsonPath(e);
        String known = e.getKnownPropertyIds() == null ? ""
                : " Known fields: " + e.getKnownPropertyIds().stream()
                        .map(String::valueOf).sorted().reduce((a, b) -> a + ", " + b).orElse("") + ".";
        return toResponse(Problem.withErrors(400, InvalidInputException.TITLE, "Unknown field " + field + "." + known,
                List.of(new FieldError(field, "unknown field"))));
    }

    @ServerExceptionMapper
    public Response invalidValue(InvalidJsonValueException e) {
        String field = jsonPath(e);
        return toResponse(Problem.validation(List.of(new FieldError(field, e.getOriginalMessage()))));
    }

    /**
     * A Jackson failure while reading the request body is the caller's (400); while writing the answer
     * (after {@link ResponsePhase} marked the request) or from a type Jackson cannot handle, it is ours (500).
     */
    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, ContainerRequestContext request) {
        if (ResponsePhase.isResponding(request) || e instanceof InvalidDefinitionException) {
            return unexpected(e);
        }
        if (StrictUtf8.find(e) != null) {
            return invalidUtf8(StrictUtf8.find(e));
        }
        if (e instanceof StreamConstraintsException || String.valueOf(e.getOriginalMessage()).contains("Constraints")) {
            String detail = e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth")
                    ? "The request body nests JSON deeper than " + maxJsonDepth + " levels (gateway.api.json-max-depth)."
                    : "The request body exceeds a JSON limit: " + e.getOriginalMessage();
            return toResponse(Problem.of(400, "JSON too large", detail));
        }
        return toResponse(Problem.of(400, "Malformed JSON", "The request body is not valid JSON: "
                + e.getOriginalMessage()));
    }

    private static Response invalidUtf8(StrictUtf8.InvalidUtf8Exception e) {
        return toResponse(Problem.of(400, "Malformed JSON", "The request body is not valid UTF-8: "
                + e.getOriginalMessage()));
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(toResponse(Problem.of(401, "Unauthorized",
                "Send a valid admin API key as 'Authorization: Bearer <key>' (see gateway.admin.api-keys).")))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"whatsapp-gateway\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return toResponse(Problem.of(403, "Forbidden", "This key may not use this endpoint."));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, ContainerRequestContext request) {
        // Quarkus' JSON reader wraps parse and constraint failures of the request body in a 400; a query or path
        // parameter's converter failure comes wrapped in a 404 (JAX-RS), so ParamConverters' refusals are unwrapped
        if (e.getCause() instanceof DomainException domain) {
            return domain(domain);
        }
        if (e.getCause() instanceof InvalidJsonValueException invalid) {
            return invalidValue(invalid);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, request);
        }
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return toResponse(Problem.of(status, title, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.errorf(e, "Unexpected failure: %s", e.getClass().getName());
        return toResponse(Problem.internalError());
    }

    private static String fieldName(ConstraintViolation<?> v) {
        // "create.request.phoneNumberId" -> "phoneNumberId"; parameters keep their own name.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length >= 3 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length))
                : parts[parts.length - 1];
    }

    private static String jsonPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                .orElse("body");
    }
}
