package io.wagateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.mutiny.core.Vertx;

/** SSRF guard: which addresses and URLs a subscription may not use. */
class SubscriberUrlGuardTest {

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.closeAndAwait();
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "127.8.9.10", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "169.254.169.254", "100.64.0.1", "198.18.0.1", "224.0.0.1", "255.255.255.255", "::1", "::",
            "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
            "::127.0.0.1", "64:ff9b::a9fe:a9fe", "ff02::1" })
    void refusesLoopbackPrivateLinkLocalUniqueLocalAndMappedAddresses(String literal) throws UnknownHostException {
        assertThat(SubscriberUrlGuard.isRefused(ip(literal))).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
            "::ffff:8.8.8.8", "64:ff9b::808:808" })
    void acceptsPublicAddresses(String literal) throws UnknownHostException {
        assertThat(SubscriberUrlGuard.isRefused(ip(literal))).as(literal).isFalse();
    }

    @Test
    void refusesUrlsThatAreNotPlainHttpOrHttpsToAHost() {
        assertThatThrownBy(() -> SubscriberUrlGuard.parse("ftp://example.com/")).hasMessageContaining("http");
        assertThatThrownBy(() -> SubscriberUrlGuard.parse("file:///etc/passwd")).hasMessageContaining("http");
        assertThatThrownBy(() -> SubscriberUrlGuard.parse("https:///path")).hasMessageContaining("host");
        assertThatThrownBy(() -> SubscriberUrlGuard.parse("https://user:pw@example.com/"))
                .hasMessageContaining("user information");
        assertThatThrownBy(() -> SubscriberUrlGuard.parse("not a url")).hasMessageContaining("valid");
        assertThat(SubscriberUrlGuard.parse("https://shop.example.com:8443/hooks?x=1").getHost())
                .isEqualTo("shop.example.com");
    }

    @Test
    void checkResolvesTheHostOffTheEventLoopAndRefusesPrivateTargetsUnlessAllowed() {
        SubscriberUrlGuard strict = new SubscriberUrlGuard(vertx, config(false));
        assertThatThrownBy(() -> strict.check("http://localhost:8080/hook").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(SubscriberUrlGuard.RefusedUrlException.class).hasMessageContaining("127.0.0.1");
        assertThatThrownBy(() -> strict.check("http://[::ffff:192.168.0.1]/").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(SubscriberUrlGuard.RefusedUrlException.class);
        assertThatThrownBy(() -> strict.check("http://no-such-host.invalid/").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(SubscriberUrlGuard.RefusedUrlException.class).hasMessageContaining("does not resolve");
        strict.check("https://93.184.215.14/hook").await().atMost(Duration.ofSeconds(10));

        SubscriberUrlGuard open = new SubscriberUrlGuard(vertx, config(true));
        open.check("http://localhost:8080/hook").await().atMost(Duration.ofSeconds(10));
        assertThatThrownBy(() -> open.check("gopher://localhost/").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(SubscriberUrlGuard.RefusedUrlException.class);
    }

    @Test
    void theDispatchersCheckReusesAHostsVerdictAndRefusesWhatCheckRefuses() {
        SubscriberUrlGuard strict = new SubscriberUrlGuard(vertx, config(false));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> strict.checkForDispatch("http://localhost:8080/hook").await()
                    .atMost(Duration.ofSeconds(10))).isInstanceOf(SubscriberUrlGuard.RefusedUrlException.class)
                    .hasMessageContaining("127.0.0.1");
            strict.checkForDispatch("https://93.184.215.14/hook?n=" + i).await().atMost(Duration.ofSeconds(10));
        }
        assertThat(strict.verdictsKept()).as("one verdict per host").isEqualTo(2);
        // a URL that is not one never reaches the lookup, nor the verdicts
        assertThatThrownBy(() -> strict.checkForDispatch("gopher://93.184.215.14/").await()
                .atMost(Duration.ofSeconds(10))).isInstanceOf(SubscriberUrlGuard.RefusedUrlException.class);
        assertThat(strict.verdictsKept()).isEqualTo(2);

        SubscriberUrlGuard open = new SubscriberUrlGuard(vertx, config(true));
        open.checkForDispatch("http://localhost:8080/hook").await().atMost(Duration.ofSeconds(10));
        assertThat(open.verdictsKept()).isZero();
    }

    private static EventsConfig config(boolean allowPrivate) {
        return new EventsConfig() {
            public Duration retention() {
                return Duration.ofDays(7);
            }

            public Duration maxRetryDuration() {
                return Duration.ofDays(3);
            }

            public Duration retryInitialInterval() {
                return Duration.ofSeconds(1);
            }

            public Duration retryMaxInterval() {
                return Duration.ofMinutes(5);
            }

            public boolean allowPrivateUrls() {
                return allowPrivate;
            }

            public Duration requestTimeout() {
                return Duration.ofSeconds(10);
            }

            public Duration lease() {
                return Duration.ofSeconds(60);
            }

            public int maxInFlight() {
                return 32;
            }

            public Duration pollInterval() {
                return Duration.ofSeconds(10);
            }

            public boolean dispatchEnabled() {
                return true;
            }

            public Duration streamHeartbeat() {
                return Duration.ofSeconds(15);
            }

            public int maxStreams() {
                return 100;
            }
        };
    }
}
