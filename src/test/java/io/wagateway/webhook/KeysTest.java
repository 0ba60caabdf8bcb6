package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.wagateway.webhook.payload.Keys;

/** Key lengths are bytes of UTF-8, as PostgreSQL's index limit counts them, not characters. */
class KeysTest {

    @Test
    void lengthIsCountedInUtf8Bytes() {
        for (String s : new String[] { "", "wamid.HBgM", "Größe", "中文字符", "😕 emoji", "\uD83D", "a\uDC00b", "\u0000" }) {
            int expected = s.equals("\uD83D") || s.equals("a\uDC00b") ? s.length() * 3 - (s.length() - 1) * 2
                    : s.getBytes(StandardCharsets.UTF_8).length;
            assertThat(Keys.utf8Length(s)).as(s).isEqualTo(expected);
        }
    }

    @Test
    void aKeyFitsUpToTheByteLimitWhateverItsCharacterCount() {
        assertThat(Keys.fits(null)).isTrue();
        assertThat(Keys.fits("a".repeat(Keys.MAX_BYTES))).isTrue();
        assertThat(Keys.fits("a".repeat(Keys.MAX_BYTES + 1))).isFalse();
        // Under the limit in characters, over it in bytes: the 1,024-character guard let these through.
        assertThat(Keys.fits("中".repeat(342))).isFalse();
        assertThat(Keys.fits("中".repeat(341))).isTrue();
        assertThat(Keys.fits("😕".repeat(Keys.MAX_BYTES / 4))).isTrue();
        assertThat(Keys.fits("😕".repeat(Keys.MAX_BYTES / 4 + 1))).isFalse();
        assertThat(Keys.fits("é".repeat(Keys.MAX_BYTES / 2 + 1))).isFalse();
    }
}
