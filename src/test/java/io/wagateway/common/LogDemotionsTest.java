package io.wagateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which framework failures become DEBUG lines: only the known harmless ones. */
class LogDemotionsTest {

    private static IllegalStateException thrownAt(String message, String className) {
        IllegalStateException failure = new IllegalStateException(message);
        failure.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 90),
                new StackTraceElement(className, "lambda$execute$3", "X.java", 216) });
        return failure;
    }

    @Test
    void thePoolTimersSecondCompletionIsDemoted() {
        IllegalStateException race = thrownAt("Result is already complete",
                "io.vertx.sqlclient.impl.pool.SqlConnectionPool");
        assertThat(LogDemotions.poolTimerRace(race)).isSameAs(race);
    }

    @Test
    void otherIllegalStatesStayErrors() {
        assertThat(LogDemotions.poolTimerRace(thrownAt("Result is already complete", "io.wagateway.webhook.X")))
                .isNull();
        assertThat(LogDemotions.poolTimerRace(thrownAt("something else",
                "io.vertx.sqlclient.impl.pool.SqlConnectionPool"))).isNull();
        assertThat(LogDemotions.poolTimerRace(new IllegalArgumentException("Result is already complete"))).isNull();
        assertThat(LogDemotions.poolTimerRace(null)).isNull();
    }

    @Test
    void aMalformedRequestIsDemotedAndOtherFailuresAreNot() {
        assertThat(LogDemotions.malformed(new RuntimeException(new io.vertx.core.http.HttpClosedException("closed"))))
                .isInstanceOf(io.vertx.core.http.HttpClosedException.class);
        assertThat(LogDemotions.malformed(new IllegalStateException("a bug"))).isNull();
    }

    @Test
    void onlyQuarkusPerServerConnectionGaugesAreQuiet() {
        assertThat(LogDemotions.perServerGauge("This Gauge has been already registered (MeterId{name='vertx.http."
                + "connections.current', tags=[]}), the registration will be ignored.")).isTrue();
        assertThat(LogDemotions.perServerGauge("This Gauge has been already registered (MeterId{name='whatsapp."
                + "webhook.body.budget.used', tags=[]}), the registration will be ignored.")).isFalse();
        assertThat(LogDemotions.perServerGauge(null)).isFalse();
    }
}
