package io.wagateway.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells this replica's dispatcher that a transaction which appended events has committed, so that they are numbered
 * and sent at once. The conversation writer's statements append their events without a {@code NOTIFY}: PostgreSQL
 * serialises the commits of notifying transactions, which would cap the ingest
 * (docs/decisions/0013-events-in-the-writers-statements.md). Other replicas learn of the events from the
 * sequencer's notification once they are numbered, and from their poll.
 */
@ApplicationScoped
public class EventSignal {

    private static final Runnable NOBODY = () -> {
    };

    private volatile Runnable listener = NOBODY;
    private final List<Runnable> others = new CopyOnWriteArrayList<>();

    /** Called after the commit of a transaction that may have appended events; cheap, never fails. */
    public void committed() {
        listener.run();
        for (Runnable other : others) {
            other.run();
        }
    }

    /**
     * Another component woken by the same commits (the media downloader: an inbound message may have recorded a
     * download job); {@code onCommit} must be cheap and never fail.
     */
    public void alsoNotify(Runnable onCommit) {
        others.add(onCommit);
    }

    /** The dispatcher registers itself at startup. */
    void listen(Runnable onCommit) {
        listener = onCommit == null ? NOBODY : onCommit;
    }
}
