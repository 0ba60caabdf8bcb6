package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.wagateway.webhook.WebhookSecrets.Signer;

/** What a settings row's app secret may sign for: its numbers, and its business's numbers nobody else claims. */
class SignerTest {

    // Rows: A1 (business WA), B1 and B2 (business WB, one app secret).
    private final Map<String, String> rows = Map.of("A1", "WA", "B1", "WB", "B2", "WB");
    private final Signer a = new Signer(false, Set.of("A1"), Set.of("WA"), rows);
    private final Signer b = new Signer(false, Set.of("B1", "B2"), Set.of("WB"), rows);

    @Test
    void aRowsSecretSignsForItsNumbersAndItsBusinessesUnclaimedNumbers() {
        assertThat(a.owns("WA", "A1")).isTrue();
        assertThat(a.owns(null, "A1")).isTrue();
        assertThat(a.owns("WA", "A-new")).as("a number of A's WABA without a row").isTrue();
        assertThat(b.owns("WB", "B2")).isTrue();
        assertThat(b.owns("WB", "B1")).isTrue();
    }

    @Test
    void itNeverSignsForAnotherBusinessesNumber() {
        assertThat(a.owns("WB", "B1")).isFalse();
        assertThat(a.owns("WA", "B1")).as("its own business id in entry.id").isFalse();
        assertThat(a.owns(null, "B1")).isFalse();
        assertThat(a.owns("WX", "X1")).as("a number of an unknown business").isFalse();
        assertThat(a.owns("WA", null)).isFalse();
        assertThat(b.owns("WA", "A-new")).isFalse();
    }

    @Test
    void configuredSecretsSignForEveryNumber() {
        assertThat(Signer.ANY.owns("WB", "B1")).isTrue();
        assertThat(Signer.ANY.owns(null, "anything")).isTrue();
    }
}
