package io.wagateway.events;

import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * {@code LISTEN gateway_events} on its own connection (not the pool's), on every replica, also one that does not
 * dispatch ({@code gateway.events.dispatch-enabled=false}) and only serves streams. A notification {@value #NUMBERED}
 * (the sequencer numbered events) fires {@link EventsNumbered}; every notification wakes the dispatcher when it
 * registered. Reconnects when the connection drops; each (re)connection counts as a notification, since some may
 * have been missed meanwhile.
 */
@ApplicationScoped
public class EventNotifications {

    private static final Logger LOG = Logger.getLogger(EventNotifications.class);
    static final String CHANNEL = "gateway_events";
    /** Payload of the sequencer's notification. */
    static final String NUMBERED = "numbered";
    /** Payload of {@code append.sql}: an event was committed (not numbered yet). */
    static final String APPENDED = "appended";

    /** Payload of a subscription's creation or change (its cursor may be taken or dropped). */
    static final String SUBSCRIPTIONS = "subscriptions";

    private static final Consumer<String> NOBODY = payload -> {
    };

    private final Vertx vertx;
    private final EventsNumbered numbered;
    private final Optional<String> reactiveUrl;
    private final Optional<String> user;
    private final Optional<String> password;
    private volatile Consumer<String> dispatcher = NOBODY;
    private volatile boolean connected;
    private PgSubscriber subscriber;

    public EventNotifications(Vertx vertx, EventsNumbered numbered,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> reactiveUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.numbered = numbered;
        this.reactiveUrl = reactiveUrl;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        reactiveUrl.filter(url -> !url.isBlank()).ifPresentOrElse(this::listen,
                () -> LOG.warn("No quarkus.datasource.reactive.url: no event notifications, dispatch and streams "
                        + "run on their polls only"));
    }

    private void listen(String url) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(CHANNEL).subscribeHandler(this::listening).handler(payload -> {
            if (NUMBERED.equals(payload)) {
                numbered.fire();
            }
            dispatcher.accept(payload);
        });
        subscriber.connect().subscribe().with(ok -> {
        }, failure -> LOG.warnf("Event notifications unavailable (%s); dispatch and streams run on their polls",
                failure.getMessage()));
    }

    /** LISTEN is in place (again): anything notified while it was not is caught up on. */
    private void listening() {
        connected = true;
        numbered.fire();
        dispatcher.accept(SUBSCRIPTIONS);
    }

    void stop(@Observes ShutdownEvent event) {
        dispatcher = NOBODY;
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** The dispatcher registers its wake-up at startup, given each payload (null: none). */
    void onNotification(Consumer<String> wake) {
        dispatcher = wake == null ? NOBODY : wake;
    }

    /** Whether LISTEN has been in place (tests). */
    boolean connected() {
        return connected;
    }
}
