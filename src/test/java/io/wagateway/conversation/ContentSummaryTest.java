package io.wagateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One formatter for both directions: what a person reads for a message of each type. */
class ContentSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String summary(String message) throws Exception {
        JsonNode node = JSON.readTree(message);
        return ContentSummary.of(node);
    }

    @Test
    void outboundMessagesAreSummarisedLikeInboundOnes() throws Exception {
        assertThat(summary("{\"type\": \"text\", \"text\": {\"body\": \"Hello\"}}")).isEqualTo("Hello");
        assertThat(summary("{\"type\": \"template\", \"template\": {\"name\": \"order_update\", "
                + "\"language\": {\"code\": \"en_US\"}}}")).isEqualTo("[template: order_update (en_US)]");
        assertThat(summary("{\"type\": \"template\", \"template\": {}}")).isEqualTo("[template: ? (?)]");
        assertThat(summary("{\"type\": \"interactive\", \"interactive\": {\"type\": \"list\", "
                + "\"body\": {\"text\": \"Pick one\"}}}")).isEqualTo("Pick one");
        assertThat(summary("{\"type\": \"interactive\", \"interactive\": {\"type\": \"cta_url\"}}"))
                .isEqualTo("[interactive message]");
        assertThat(summary("{\"type\": \"reaction\", \"reaction\": {\"emoji\": \"\\uD83D\\uDC4D\"}}"))
                .isEqualTo("\uD83D\uDC4D");
        assertThat(summary("{\"type\": \"reaction\", \"reaction\": {\"emoji\": \"\"}}")).isEqualTo("[reaction removed]");
        assertThat(summary("{\"type\": \"image\", \"image\": {\"id\": \"1\", \"caption\": \"Shoe\"}}"))
                .isEqualTo("Shoe");
        assertThat(summary("{\"type\": \"document\", \"document\": {\"filename\": \"a.pdf\"}}"))
                .isEqualTo("[document: a.pdf]");
        assertThat(summary("{\"type\": \"sticker\", \"sticker\": {\"id\": \"1\"}}")).isEqualTo("[sticker]");
        assertThat(summary("{\"type\": \"contacts\", \"contacts\": [{\"name\": {\"formatted_name\": \"Ann\"}}]}"))
                .isEqualTo("\uD83D\uDC64 Ann");
    }

    @Test
    void aReplyShowsTheChoiceNotTheQuestion() throws Exception {
        assertThat(summary("{\"type\": \"interactive\", \"interactive\": {\"type\": \"button_reply\", "
                + "\"button_reply\": {\"id\": \"b1\", \"title\": \"Yes\"}}}")).isEqualTo("Yes");
        assertThat(summary("{\"type\": \"interactive\", \"interactive\": {\"type\": \"list_reply\", "
                + "\"list_reply\": {\"id\": \"r1\", \"title\": \"Red\", \"description\": \"size M\"}}}"))
                .isEqualTo("Red \u2014 size M");
    }

    @Test
    void anUnknownOrEmptyMessageNamesItsType() throws Exception {
        assertThat(summary("{\"type\": \"carousel\"}")).isEqualTo("[carousel message]");
        assertThat(summary("{}")).isEqualTo("[unknown message]");
        assertThat(summary("{\"type\": \"text\", \"text\": {\"body\": \"\"}}")).isEqualTo("[text message]");
    }
}
