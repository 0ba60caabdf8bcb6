package io.wagateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Admin keys are checked when the application starts: a weak key refuses the start, never silently works. */
class AdminKeyVerifierTest {

    private static final String KEY = "k3y-0123456789abcdef0123456789ab";

    private static AdminKeyVerifier verifier(String... keys) {
        return new AdminKeyVerifier(() -> Optional.of(List.of(keys)));
    }

    @Test
    void aLongVisibleKeyMatchesAndNothingElseDoes() {
        AdminKeyVerifier verifier = verifier(KEY, KEY + "-rotated");
        assertThat(verifier.match(KEY)).isZero();
        assertThat(verifier.match(KEY + "-rotated")).isEqualTo(1);
        assertThat(verifier.match(KEY + "x")).isEqualTo(-1);
        assertThat(verifier.match("")).isEqualTo(-1);
    }

    @Test
    void eachKeyHasAFingerprintOfItsDigestThatIsNotTheKey() {
        AdminKeyVerifier verifier = verifier(KEY, KEY + "-rotated");
        String expected = java.util.HexFormat.of().formatHex(ConstantTime.sha256(KEY)).substring(0, 16);
        assertThat(verifier.fingerprint(0)).isEqualTo(expected).hasSize(AdminKeyVerifier.FINGERPRINT_HEX)
                .doesNotContain(KEY.substring(0, 8));
        assertThat(verifier.fingerprint(1)).isNotEqualTo(verifier.fingerprint(0)).hasSize(16);
    }

    @Test
    void keysTooShortOrWithWhitespaceOrControlsRefuseTheStartAndNameNoKey() {
        assertThatThrownBy(() -> verifier("k")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gateway.admin.api-keys").hasMessageContaining("32")
                .hasMessageNotContaining("'k'");
        assertThatThrownBy(() -> verifier(KEY, "short-second-key")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key 2").hasMessageNotContaining("short-second-key");
        assertThatThrownBy(() -> verifier("k3y-0123456789abcdef 0123456789ab")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("whitespace");
        assertThatThrownBy(() -> verifier(KEY + "\u0007")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("control");
    }
}
