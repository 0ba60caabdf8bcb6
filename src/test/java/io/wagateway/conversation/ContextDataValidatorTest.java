package io.wagateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** contextData: absent, null or a storable JSON object within the configured size. */
class ContextDataValidatorTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final ContextDataValidator validator = new ContextDataValidator(() -> 20);

    @Test
    void objectsWithinTheSizeAreStorable() throws Exception {
        assertThat(validator.violation(null)).isNull();
        assertThat(validator.violation(mapper.readTree("null"))).isNull();
        assertThat(validator.violation(mapper.readTree("{}"))).isNull();
        assertThat(validator.violation(mapper.readTree("{\"cartId\":\"c-42\"}"))).isNull();
    }

    @Test
    void otherValuesAreRefusedWithTheReason() throws Exception {
        assertThat(validator.violation(mapper.readTree("[1, 2]"))).isEqualTo("must be a JSON object");
        assertThat(validator.violation(mapper.readTree("\"text\""))).isEqualTo("must be a JSON object");
        assertThat(validator.violation(mapper.readTree("{\"a\":[\"ok\",\"\\u0000\"]}"))).contains("U+0000");
        assertThat(validator.violation(mapper.readTree("{\"k\\u0000\":1}"))).contains("U+0000");
        assertThat(validator.violation(mapper.readTree("{\"blob\":\"0123456789abcdef\"}")))
                .isEqualTo("is 27 bytes as JSON; at most 20 (gateway.api.context-data-max-size)");
    }
}
