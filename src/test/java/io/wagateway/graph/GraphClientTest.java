package io.wagateway.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wagateway.common.Problem;
import io.wagateway.common.ProblemMapper;

class GraphClientTest {

    private final ObjectMapper json = new ObjectMapper();

    private ObjectNode node(String text) throws Exception {
        return (ObjectNode) json.readTree(text);
    }

    @Test
    void payloadIsMetasBodyWithOurFieldsRemovedAndExtrasKept() throws Exception {
        ObjectNode payload = GraphClient.payload(node("""
                {"to": "+1 (650) 555-1234", "type": "text", "text": {"body": "hi"}, "phoneNumberId": "1",
                 "messaging_product": "other", "recipient_type": "group", "biz_opaque_callback_data": "x"}"""),
                "16505551234");
        assertThat(payload).isEqualTo(node("""
                {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+16505551234",
                 "type": "text", "text": {"body": "hi"}, "biz_opaque_callback_data": "x"}"""));
    }

    @Test
    void graphErrorsBecome502ProblemsWithMetasFieldsAndClearTitles() throws Exception {
        GraphError error = GraphError.from(400, node("""
                {"message": "(#131026) Message undeliverable", "type": "OAuthException", "code": 131026,
                 "error_data": {"details": "Not a WhatsApp user"}, "error_subcode": 2494010, "fbtrace_id": "Az1"}"""));
        Problem problem = ProblemMapper.toProblem(GraphFailures.of(new GraphRejectedException(error), "118234567890123"));
        assertThat(problem.status()).isEqualTo(502);
        assertThat(problem.title()).isEqualTo("Message undeliverable");
        assertThat(problem.code()).isEqualTo(131026);
        assertThat(problem.errorSubcode()).isEqualTo(2494010);
        assertThat(problem.fbtraceId()).isEqualTo("Az1");
        assertThat(problem.detail()).contains("(#131026) Message undeliverable").contains("Not a WhatsApp user");
        assertThat(GraphFailures.title(GraphError.from(429, node("{\"code\": 130429}")))).isEqualTo("Rate limit hit");
        assertThat(GraphFailures.title(GraphError.from(401, node("{\"code\": 190}"))))
                .isEqualTo("Access token expired or invalid");
        assertThat(GraphFailures.title(GraphError.from(400, node("{\"code\": 131047}"))))
                .isEqualTo("Customer service window closed");
        // Not JSON at all: only the HTTP status is known.
        assertThat(GraphError.from(503, null).code()).isNull();
        assertThat(GraphApiException.isRetryable(429)).isTrue();
        assertThat(GraphApiException.isRetryable(503)).isTrue();
        assertThat(GraphApiException.isRetryable(400)).isFalse();
        assertThat(GraphApiException.isRetryable(401)).isFalse();
    }
}
