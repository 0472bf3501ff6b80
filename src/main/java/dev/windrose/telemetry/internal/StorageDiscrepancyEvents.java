package dev.windrose.telemetry.internal;

import dev.windrose.storage.StorageDiscrepancy;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.EventChange;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.Severity;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Raises an event for each discrepancy the start-up storage check found and acted on. Unlike the alert
 * rules, no condition is re-evaluated: the event records what happened and stays open until an operator
 * acknowledges it. The same finding at a later start (a file the check could not move) refreshes the
 * open event instead of raising a second one.
 */
@Component
class StorageDiscrepancyEvents {

    private static final Logger log = LoggerFactory.getLogger(StorageDiscrepancyEvents.class);

    private final EventStore store;
    private final Events events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    StorageDiscrepancyEvents(EventStore store, Events events, PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.events = events;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @EventListener
    void found(StorageDiscrepancy discrepancy) {
        EventChange change = transactions.execute(status -> raise(discrepancy));
        if (change != null) {
            events.announce(change);
        }
    }

    private EventChange raise(StorageDiscrepancy discrepancy) {
        Instant now = clock.instant();
        String key = objectKey(discrepancy);
        Severity severity = discrepancy.kind() == StorageDiscrepancy.Kind.MISSING_FILE ? Severity.CRITICAL
                : Severity.WARNING;
        var open = store.active(AlertRule.STORAGE_DISCREPANCY).stream()
                .filter(event -> event.objectKey().equals(key)).findFirst();
        EventChange.Kind kind = open.map(event -> severity.compareTo(event.severity()) > 0
                ? EventChange.Kind.ESCALATED : EventChange.Kind.UPDATED).orElse(EventChange.Kind.RAISED);
        var id = open.map(event -> {
            store.stillHolds(event.id(), severity, discrepancy.message(), now);
            return event.id();
        }).orElseGet(() -> {
            log.info("Event raised: {} {} {}: {}", severity, AlertRule.STORAGE_DISCREPANCY, key, discrepancy.message());
            return store.raise(AlertRule.STORAGE_DISCREPANCY, severity, key, discrepancy.poolName(),
                    discrepancy.message(), now);
        });
        return new EventChange(store.find(id).orElseThrow(), store.count(EventState.OPEN), kind);
    }

    /** One event per pool, kind and file or entry; the key is cut to the column's 300 characters. */
    static String objectKey(StorageDiscrepancy discrepancy) {
        String key = "pool:" + discrepancy.pool().value() + ":" + discrepancy.kind().name().toLowerCase(Locale.ROOT)
                + ":" + discrepancy.subject();
        return key.length() <= 300 ? key : key.substring(0, 300);
    }
}
