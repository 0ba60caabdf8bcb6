package io.wagateway.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The template and preference changes read out of a delivery, without Quarkus. */
class TemplateWebhooksParseTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant ARRIVAL = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void metaExamplesOfEachFieldAreReadWithTheirTimes() throws Exception {
        List<Object> changes = TemplateWebhooks.changes(MAPPER.readTree("""
                {"object": "whatsapp_business_account", "entry": [
                  {"id": "102290129340398", "time": 1764583200, "changes": [
                    {"value": {"event": "APPROVED", "message_template_id": 1689556908129832,
                      "message_template_name": "order_confirmation", "message_template_language": "en_US",
                      "reason": "NONE", "message_template_category": "UTILITY"},
                     "field": "message_template_status_update"},
                    {"value": {"messages": []}, "field": "messages"}]},
                  {"id": "102290129340398", "changes": [{"value": {"messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
                    "contacts": [{"wa_id": "16505551234"}],
                    "user_preferences": [{"wa_id": "16505551234", "detail": "User requested to stop marketing messages",
                      "category": "marketing_messages", "value": "stop", "timestamp": 1764500000},
                     {"wa_id": "16505551235", "category": "other_category", "value": "stop", "timestamp": 1764500000}]},
                    "field": "user_preferences"}]}]}"""), ARRIVAL);

        assertThat(changes).hasSize(2);
        TemplateChange status = (TemplateChange) changes.get(0);
        assertThat(status.field()).isEqualTo("message_template_status_update");
        assertThat(status.wabaId()).isEqualTo("102290129340398");
        assertThat(status.at()).isEqualTo(Instant.ofEpochSecond(1764583200));
        TemplateWebhooks.Preference preference = (TemplateWebhooks.Preference) changes.get(1);
        assertThat(preference).isEqualTo(new TemplateWebhooks.Preference("102290129340398", "106540352242922",
                "16505551234", "stopped", Instant.ofEpochSecond(1764500000)));
    }

    @Test
    void missingOrImplausibleTimesFallBack() throws Exception {
        assertThat(TemplateWebhooks.seconds(MAPPER.readTree("\"1764500000\""), ARRIVAL))
                .isEqualTo(Instant.ofEpochSecond(1764500000));
        assertThat(TemplateWebhooks.seconds(MAPPER.readTree("null"), ARRIVAL)).isEqualTo(ARRIVAL);
        assertThat(TemplateWebhooks.seconds(MAPPER.readTree("99999999999999"), ARRIVAL)).isEqualTo(ARRIVAL);
        assertThat(TemplateWebhooks.seconds(MAPPER.readTree("12"), ARRIVAL)).isEqualTo(ARRIVAL);
        assertThat(TemplateWebhooks.preference(MAPPER.readTree("""
                {"category": "marketing_messages", "value": "resume"}"""))).isEqualTo("resumed");
        assertThat(TemplateWebhooks.preference(MAPPER.readTree("""
                {"category": "marketing_messages", "value": "interested"}"""))).isNull();
    }
}
