package io.wagateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Retry waits: about 1 s first, doubling, jittered, capped at 5 minutes. */
class BackoffTest {

    private static Backoff backoff(double random) {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> random);
    }

    @Test
    void startsAtAboutTheInitialIntervalAndDoubles() {
        Backoff middle = backoff(0.5);
        assertThat(middle.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(middle.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(middle.after(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(middle.after(9)).isEqualTo(Duration.ofSeconds(256));
    }

    @Test
    void jitterSpreadsEachWaitOver75To125Percent() {
        assertThat(backoff(0.0).after(1)).isEqualTo(Duration.ofMillis(750));
        assertThat(backoff(0.999_999).after(1)).isBetween(Duration.ofMillis(1249), Duration.ofMillis(1250));
        assertThat(backoff(0.0).after(3)).isEqualTo(Duration.ofMillis(3000));
    }

    @Test
    void neverWaitsLongerThanTheCapWhateverTheAttempt() {
        for (int attempt : new int[] { 10, 11, 31, 64, 1000, Integer.MAX_VALUE }) {
            assertThat(backoff(0.999_999).after(attempt)).isEqualTo(Duration.ofMinutes(5));
            assertThat(backoff(0.0).after(attempt)).isEqualTo(Duration.ofSeconds(225));
        }
        assertThat(backoff(0.5).after(0)).isEqualTo(Duration.ofSeconds(1));
    }
}
