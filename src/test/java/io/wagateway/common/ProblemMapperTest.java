package io.wagateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The one mapping from domain failures to problem+json, and the factory every problem comes from. */
class ProblemMapperTest {

    @Test
    void eachDomainFailureHasItsStatus() {
        Problem notFound = ProblemMapper.toProblem(new NotFoundException("Message", "wamid", "wamid.X"));
        assertThat(notFound).isEqualTo(Problem.of(404, "Message not found", "No message with wamid wamid.X."));
        assertThat(ProblemMapper.toProblem(new NotFoundException("Session", "42")).detail())
                .isEqualTo("No session with id 42.");

        Problem conflict = ProblemMapper.toProblem(new ConflictException("No business number", "Add one."));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.title()).isEqualTo("No business number");
        assertThat(conflict.errors()).isNull();

        Problem unknown = ProblemMapper.toProblem(new UnknownReferenceException("Unknown business number", "None.",
                new FieldError("phoneNumberId", "no active settings row")));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.errors()).containsExactly(new FieldError("phoneNumberId", "no active settings row"));
    }

    @Test
    void invalidInputListsEveryFieldInItsDetail() {
        Problem problem = ProblemMapper.toProblem(new InvalidInputException(List.of(new FieldError("to", "must not be blank"),
                new FieldError("text.body", "must not be blank"))));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.title()).isEqualTo("Validation failed");
        assertThat(problem.detail()).isEqualTo("to: must not be blank; text.body: must not be blank");
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("to", "text.body");

        Problem whole = ProblemMapper.toProblem(new InvalidInputException("The body must be a JSON object."));
        assertThat(whole.detail()).isEqualTo("The body must be a JSON object.");
        assertThat(whole.errors()).as("no empty list in the answer").isNull();
        assertThat(Problem.validation(List.of(new FieldError("limit", "must be an integer"))).detail())
                .isEqualTo("limit: must be an integer");
    }

    @Test
    void upstreamFailuresAre502WithMetasFieldsOr504WhenNoAnswerCame() {
        Problem failed = ProblemMapper.toProblem(new UpstreamException("Rate limit hit", "Slow down.", false, 130429,
                2494055, "Az1"));
        assertThat(failed).isEqualTo(new Problem("about:blank", "Rate limit hit", 502, "Slow down.", 130429, 2494055,
                "Az1", null));
        Problem timeout = ProblemMapper.toProblem(UpstreamException.timeout("Graph API timeout", "No answer."));
        assertThat(timeout.status()).isEqualTo(504);
        assertThat(timeout.code()).isNull();
    }

    @Test
    void aDomainFailureWithoutAStatusIsAnInternalError() {
        DomainException unmapped = new DomainException("Odd", "Nobody mapped this.") {
        };
        assertThat(ProblemMapper.toProblem(unmapped)).isEqualTo(Problem.internalError());
    }
}
