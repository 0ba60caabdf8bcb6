package io.wagateway.outbound;

import io.wagateway.common.Problem;
import io.wagateway.common.ProblemException;
import java.util.concurrent.TimeoutException;

/** Turns Graph API failures into problem+json answers: 502 with Meta's code, or 504 when Meta did not answer. */
public final class GraphProblems {

    private GraphProblems() {
    }

    /** The problem for a failure of a Graph call; failures that are not Graph failures pass through. */
    public static Throwable toProblem(Throwable failure) {
        if (failure instanceof GraphApiException graph) {
            GraphError e = graph.error();
            String detail = e.message() != null ? e.message() : "The Graph API answered HTTP " + e.httpStatus() + ".";
            if (e.details() != null) {
                detail += " " + e.details();
            }
            if (failure instanceof GraphUnavailableException) {
                detail += " (gave up after retries)";
            }
            return new ProblemException(new Problem("about:blank", title(e), 502, detail, e.code(), e.errorSubcode(),
                    e.fbtraceId(), null));
        }
        if (isTimeout(failure)) {
            return new ProblemException(504, "Graph API timeout",
                    "The Graph API did not answer in time; the message may or may not have been accepted. "
                            + "It was not stored and not retried, to avoid sending it twice.");
        }
        return failure;
    }

    static String title(GraphError e) {
        if (e.code() == null) {
            return e.httpStatus() == 0 ? "Graph API unreachable" : "Graph API error";
        }
        return switch (e.code()) {
            case 131047 -> "Customer service window closed";
            case 131026 -> "Message undeliverable";
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
