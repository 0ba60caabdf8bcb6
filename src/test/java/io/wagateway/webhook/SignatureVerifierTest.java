package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.wagateway.support.Webhooks;

class SignatureVerifierTest {

    private static final byte[] SECRET = "test_app_secret_0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    /** The reference's test vectors: our HMAC over the fixture bytes equals what Meta's signature would be. */
    @ParameterizedTest
    @CsvSource({
            "01-text.json, sha256=426fa3eab9dcb6a714e3ab85a6bd508a84d5f0d8d917fffae78b95e5c9fc19d6",
            "02-image.json, sha256=14ba3203e4e2f7454cec6693b4b616c8935c3bb74ee55324c113764fdf4e5443",
            "04-location.json, sha256=4d5174d3dd501a2d154f2fc1161e4935506f682c5f3320a8659735661bce41d1",
            "05-interactive-button-reply.json, sha256=0d0de045bb72a84fb3bdd9f4ac16881bc2aa0d37aeb9468184a5410266676ba5",
            "07-reaction.json, sha256=aad39a337886a65d5dcd78b8f26398b1411585d2c36f51c51de771438db513f6",
            "08-button-template-quick-reply.json, sha256=3849b298754d76e55c5d64b44d80ea3513d618224619565e8dae1f0ef4bec028",
            "11-status-sent.json, sha256=bbaeca18280aa843540a70dfb7766aab41494765aa36f8a271f9b43b7c88b4c6",
            "13-status-read.json, sha256=41e5097f1a35ed63b66613c22df68c616c9a8ac5eef103eeaee17e3954841b86",
            "14-status-failed.json, sha256=4aed7318846933ef264b8e00649dca8837c4567b4761296ea4000c70d9b5e776",
            "15-batch-two-contacts.json, sha256=6b8a2f3c9e7348efba7b4bcb2d4d01cfa1b464b1a816338565ae359fcac3fadf",
            "16-reply-with-context.json, sha256=44f150e3969a60af433605fb51b8aec621ed2aad4dca3ec01cf431653d2cc6a3" })
    void acceptsMetasSignatureOfEachFixture(String fixture, String signature) {
        byte[] body = Webhooks.fixture(fixture);
        assertThat(SignatureVerifier.verify(body, signature, List.of(SECRET))).isTrue();
        assertThat(SignatureVerifier.verify(body, signature.toUpperCase().replace("SHA256=", "sha256="),
                List.of(SECRET))).as("hex case does not matter").isTrue();
    }

    @Test
    void rejectsWrongMissingOrMalformedSignatures() {
        byte[] body = Webhooks.fixture("01-text.json");
        String good = SignatureVerifier.sign("test_app_secret_0123456789abcdef", body);
        List<byte[]> secrets = List.of(SECRET);
        assertThat(SignatureVerifier.verify(body, null, secrets)).isFalse();
        assertThat(SignatureVerifier.verify(body, "", secrets)).isFalse();
        assertThat(SignatureVerifier.verify(body, good.substring(7), secrets)).as("no sha256= prefix").isFalse();
        assertThat(SignatureVerifier.verify(body, "sha1=" + good.substring(7), secrets)).isFalse();
        assertThat(SignatureVerifier.verify(body, good.substring(0, 70), secrets)).as("truncated").isFalse();
        assertThat(SignatureVerifier.verify(body, good.replace('a', 'g'), secrets)).as("not hex").isFalse();
        assertThat(SignatureVerifier.verify(body, good, List.of("other".getBytes()))).isFalse();
        assertThat(SignatureVerifier.verify(body, good, List.of())).as("no secret: fail closed").isFalse();
        byte[] tampered = body.clone();
        tampered[tampered.length - 3] ^= 1;
        assertThat(SignatureVerifier.verify(tampered, good, secrets)).isFalse();
        // Any one of several secrets (several Meta apps on one number, or rotation).
        assertThat(SignatureVerifier.verify(body, good, List.of("other".getBytes(), SECRET))).isTrue();
    }
}
