package io.wagateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

/** The Standard Webhooks signer against the specification's own test vector, and its secrets. */
class WebhookSignerTest {

    @Test
    void signsTheSpecificationsTestVector() {
        // The vector of the Standard Webhooks reference libraries' tests.
        byte[] key = WebhookSigner.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String signature = WebhookSigner.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}");
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aKeySignsEachMessageOnItsOwnAlsoFromSeveralThreadsAtOnce() throws Exception {
        WebhookSigner.Key key = new WebhookSigner.Key(WebhookSigner.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        byte[] body = "{\"test\": 2432232314}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    boolean all = true;
                    for (int i = 0; i < 2_000; i++) {
                        all &= key.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body).equals(expected);
                        all &= !key.sign("msg_" + i, 1614265330L, body).equals(expected);
                    }
                    return all;
                }));
            }
            for (var run : runs) {
                assertThat(run.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anyChangeOfIdTimestampOrBodyChangesTheSignature() {
        byte[] key = WebhookSigner.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String base = WebhookSigner.sign(key, "msg_1", 1614265330L, "{}");
        assertThat(WebhookSigner.sign(key, "msg_2", 1614265330L, "{}")).isNotEqualTo(base);
        assertThat(WebhookSigner.sign(key, "msg_1", 1614265331L, "{}")).isNotEqualTo(base);
        assertThat(WebhookSigner.sign(key, "msg_1", 1614265330L, "{ }")).isNotEqualTo(base);
    }

    @Test
    void generatedSecretsAreWhsecAndBase64Of32RandomBytes() {
        String one = WebhookSigner.newSecret();
        String two = WebhookSigner.newSecret();
        assertThat(one).startsWith("whsec_").isNotEqualTo(two);
        assertThat(Base64.getDecoder().decode(one.substring("whsec_".length()))).hasSize(32);
        assertThat(WebhookSigner.key(one)).hasSize(32);
    }

    @Test
    void refusesSecretsOutsideTheFormat() {
        assertThatThrownBy(() -> WebhookSigner.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> WebhookSigner.key("whsec_not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> WebhookSigner.key("whsec_" + Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("24 to 64 bytes");
        assertThatThrownBy(() -> WebhookSigner.key(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
