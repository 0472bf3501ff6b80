package dev.windrose.telemetry.internal;

import dev.windrose.mirror.MirrorIncident;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.EventChange;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.Severity;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A mirrored volume that runs on one leg is an event (one per mirror, {@code mirror:<id>}), updated while it
 * lasts and cleared when the partner is current again: the console and the alert delivery say so.
 */
@Component
class MirrorEvents {

    private static final Logger log = LoggerFactory.getLogger(MirrorEvents.class);

    private final EventStore store;
    private final Events events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    MirrorEvents(EventStore store, Events events, PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.events = events;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @EventListener
    void happened(MirrorIncident incident) {
        EventChange change = transactions.execute(status -> record(incident));
        if (change != null) {
            events.announce(change);
        }
    }

    private @Nullable EventChange record(MirrorIncident incident) {
        Instant now = clock.instant();
        String key = "mirror:" + incident.mirrorId();
        var open = store.active(AlertRule.MIRROR).stream().filter(event -> event.objectKey().equals(key)).findFirst();
        if (incident.kind() == MirrorIncident.Kind.BACK_IN_SYNC) {
            return open.map(event -> {
                store.clear(event.id(), now);
                log.info("Event cleared: {} {}: {}", AlertRule.MIRROR, key, incident.message());
                return new EventChange(store.find(event.id()).orElseThrow(), store.count(EventState.OPEN),
                        EventChange.Kind.CLEARED);
            }).orElse(null);
        }
        var id = open.map(event -> {
            store.stillHolds(event.id(), Severity.WARNING, incident.message(), now);
            return event.id();
        }).orElseGet(() -> {
            log.info("Event raised: {} {} {}: {}", Severity.WARNING, AlertRule.MIRROR, key, incident.message());
            return store.raise(AlertRule.MIRROR, Severity.WARNING, key, incident.mirrorName(), incident.message(), now);
        });
        return new EventChange(store.find(id).orElseThrow(), store.count(EventState.OPEN),
                open.isPresent() ? EventChange.Kind.UPDATED : EventChange.Kind.RAISED);
    }
}
