package io.wagateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LogThrottleTest {

    @Test
    void admitsOncePerIntervalAndCountsWhatItSuppressed() throws Exception {
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(3));
        assertThat(throttle.admit("a")).isZero();
        assertThat(throttle.admit("a")).isEqualTo(-1);
        assertThat(throttle.admit("a")).isEqualTo(-1);
        assertThat(throttle.admit("b")).as("keys are independent").isZero();
        Thread.sleep(3100);
        assertThat(throttle.admit("a")).isEqualTo(2);
        assertThat(throttle.admit("a")).isEqualTo(-1);
    }
}
