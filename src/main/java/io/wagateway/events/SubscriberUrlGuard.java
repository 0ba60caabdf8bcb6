package io.wagateway.events;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Refuses subscriber URLs that would make the gateway call into its own network (SSRF): every address the host
 * resolves to must be public unless {@code gateway.events.allow-private-urls}. Resolution runs on a worker
 * thread, never on the event loop.
 */
@ApplicationScoped
public class SubscriberUrlGuard {

    /** Why a URL is refused; the message is meant for the client. */
    public static final class RefusedUrlException extends RuntimeException {
        public RefusedUrlException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * How long {@link #checkForDispatch} reuses a host's verdict: the JVM's own cache time of a successful lookup, so
     * a host that moves to a private address is refused again as soon as the JVM would see the new address.
     */
    static final long VERDICT_MILLIS = 30_000;
    /**
     * Most hosts whose verdict is kept, and most URLs whose host is kept (each cache is emptied when it would grow
     * past).
     */
    private static final int MAX_VERDICTS = 1024;

    /** A host's verdict: refused with this reason, or allowed (null), until the given time (epoch ms). */
    private record Verdict(RefusedUrlException refusal, long until) {
    }

    private final Vertx vertx;
    private final boolean allowPrivate;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    /** The host of each URL that parsed as allowed (a subscription's URL is parsed once, not once per POST). */
    private final Map<String, String> hosts = new ConcurrentHashMap<>();

    public SubscriberUrlGuard(Vertx vertx, EventsConfig config) {
        this.vertx = vertx;
        this.allowPrivate = config.allowPrivateUrls();
    }

    /** Completes when {@code url} may be called, else fails with {@link RefusedUrlException}. */
    public Uni<Void> check(String url) {
        URI uri;
        try {
            uri = parse(url);
        } catch (RefusedUrlException e) {
            return Uni.createFrom().failure(e);
        }
        if (allowPrivate) {
            return Uni.createFrom().voidItem();
        }
        return lookup(host(uri));
    }

    /**
     * {@link #check} for a POST of the dispatcher: a host's verdict is reused for {@link #VERDICT_MILLIS}, so that
     * sending an event costs no lookup on a worker thread each time. Subscriptions are checked afresh when they are
     * created or changed ({@link #check}).
     */
    public Uni<Void> checkForDispatch(String url) {
        String parsed = hosts.get(url);
        if (parsed == null) {
            try {
                parsed = host(parse(url));
            } catch (RefusedUrlException e) {
                return Uni.createFrom().failure(e);
            }
            keep(hosts, url, parsed);
        }
        String host = parsed;
        if (allowPrivate) {
            return Uni.createFrom().voidItem();
        }
        long now = System.currentTimeMillis();
        Verdict known = verdicts.get(host);
        if (known != null && known.until() > now) {
            return known.refusal() == null ? Uni.createFrom().voidItem() : Uni.createFrom().failure(known.refusal());
        }
        return lookup(host).onItemOrFailure().invoke((ok, failure) -> {
            if (failure == null || failure instanceof RefusedUrlException) {
                keep(verdicts, host, new Verdict((RefusedUrlException) failure, now + VERDICT_MILLIS));
            }
        });
    }

    /** Keeps an entry in one of the bounded caches, emptied when it would grow past {@link #MAX_VERDICTS}. */
    private static <V> void keep(Map<String, V> cache, String key, V value) {
        if (cache.size() >= MAX_VERDICTS) {
            cache.clear();
        }
        cache.put(key, value);
    }

    /** Hosts with a verdict kept (tests). */
    int verdictsKept() {
        return verdicts.size();
    }

    private static String host(URI uri) {
        return uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    }

    /** Resolves {@code host} on a worker thread; fails when it does not resolve or resolves to a refused address. */
    private Uni<Void> lookup(String host) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> resolve(host)), false).map(addresses -> {
            for (InetAddress address : addresses) {
                if (isRefused(address)) {
                    throw new RefusedUrlException("url resolves to " + address.getHostAddress()
                            + ", a loopback, private or link-local address; only public addresses are allowed");
                }
            }
            return null;
        });
    }

    /** An absolute http(s) URL with a host and without user information. */
    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new RefusedUrlException("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedUrlException("url must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RefusedUrlException("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedUrlException("url must not contain user information");
        }
        return uri;
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new RefusedUrlException("url's host " + host + " does not resolve");
        }
    }

    /**
     * True for addresses inside the gateway's own networks: unspecified, loopback, private (RFC 1918), shared
     * (RFC 6598), link-local, unique-local (fc00::/7), multicast, broadcast, and IPv4 addresses carried in IPv6
     * (mapped, compatible, NAT64) whose IPv4 address is one of these.
     */
    public static boolean isRefused(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first == 127 || (first == 100 && second >= 64 && second < 128)
                    || (first == 198 && (second == 18 || second == 19)) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true;
            }
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                try {
                    return isRefused(InetAddress.getByAddress(embedded));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The IPv4 address in ::ffff:a.b.c.d, ::a.b.c.d or 64:ff9b::a.b.c.d, else null. */
    private static byte[] embeddedIpv4(byte[] b) {
        boolean zeroPrefix = Arrays.equals(Arrays.copyOfRange(b, 0, 10), new byte[10]);
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0;
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8]);
        return mapped || compatible || nat64 ? Arrays.copyOfRange(b, 12, 16) : null;
    }
}
