package io.wagateway.graph;

import java.util.concurrent.TimeoutException;

import io.wagateway.common.UpstreamException;

/**
 * Turns failures of a Graph call into {@link UpstreamException}s with Meta's code, or a timeout when Meta did not
 * answer; which HTTP status that is, is the problem mapper's business.
 */
public final class GraphFailures {

    private GraphFailures() {
    }

    /**
     * The failure of a Graph call through {@code phoneNumberId}. Upstream exceptions pass through; any other
     * failure of the HTTP client names the number, never its message (which may quote request headers).
     */
    public static UpstreamException of(Throwable failure, String phoneNumberId) {
        if (failure instanceof GraphApiException graph) {
            GraphError e = graph.error();
            String detail = e.message() != null ? e.message() : "The Graph API answered HTTP " + e.httpStatus() + ".";
            if (e.details() != null) {
                detail += " " + e.details();
            }
            if (e.code() != null && e.code() == 131062) {
                detail += " This message type cannot be sent to a business-scoped user id (recipient); send it to "
                        + "the customer's phone number (to) once it is known, or use a type Meta accepts for BSUIDs.";
            }
            if (failure instanceof GraphUnavailableException) {
                detail += " (gave up after retries)";
            }
            return new UpstreamException(title(e), detail, false, e.code(), e.errorSubcode(), e.fbtraceId());
        }
        if (isTimeout(failure)) {
            return UpstreamException.timeout("Graph API timeout",
                    "The Graph API did not answer in time; the message may or may not have been accepted. "
                            + "It was not stored and not retried, to avoid sending it twice.");
        }
        if (failure instanceof UpstreamException upstream) {
            return upstream;
        }
        return new UpstreamException("Graph API request failed", "The request to the Graph API via phone_number_id "
                + phoneNumberId + " failed without an answer from Meta (" + failure.getClass().getSimpleName()
                + "); it was not stored. Check the number's settings (access token) and the Graph API base URL.");
    }

    /** The number's stored access token cannot be sent: nothing was sent, the operator must replace it. */
    static UpstreamException unusableToken(String phoneNumberId) {
        return new UpstreamException("Access token unusable", "The access token stored for phone_number_id "
                + phoneNumberId + " cannot be sent to the Graph API (empty, or holds whitespace, control or non-ASCII "
                + "characters). Nothing was sent; replace the token with PUT /api/v1/settings/{id}.");
    }

    /** Meta accepted a send but its answer carries no wamid to store the message under. */
    static UpstreamException noMessageId() {
        return new UpstreamException("Graph API error",
                "The Graph API accepted the request but answered without a message id.");
    }

    static String title(GraphError e) {
        if (e.code() == null) {
            return e.httpStatus() == 0 ? "Graph API unreachable" : "Graph API error";
        }
        return switch (e.code()) {
            case 131047 -> "Customer service window closed";
            case 131026 -> "Message undeliverable";
            case 131062 -> "Message type not supported for BSUID recipients";
            case 130429 -> "Rate limit hit";
            case 190 -> "Access token expired or invalid";
            default -> "Graph API error";
        };
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }
}
