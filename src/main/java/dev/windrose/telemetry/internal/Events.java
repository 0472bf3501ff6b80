package dev.windrose.telemetry.internal;

import dev.windrose.common.AfterTransaction;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.EventChange;
import dev.windrose.telemetry.EventId;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.Subscription;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@link EventService}: reading, acknowledging, thresholds, and telling subscribers about changes. */
@Service
class Events implements EventService {

    private static final Logger log = LoggerFactory.getLogger(Events.class);
    static final long MAX_LATENCY_MICROS = 60_000_000L;

    private final EventStore store;
    private final AuditLog auditLog;
    private final Clock clock;
    private final AlertDispatcher dispatcher;
    private final List<Consumer<EventChange>> listeners = new CopyOnWriteArrayList<>();

    Events(EventStore store, AuditLog auditLog, Clock clock, AlertDispatcher dispatcher) {
        this.store = store;
        this.auditLog = auditLog;
        this.clock = clock;
        this.dispatcher = dispatcher;
    }

    @Override
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public Page<EventInfo> list(@Nullable EventState state, Pageable pageable) {
        List<EventInfo> page = store.page(state, (int) pageable.getOffset(), pageable.getPageSize());
        return new PageImpl<>(page, pageable, store.count(state));
    }

    @Override
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public EventInfo get(EventId id) {
        return find(id);
    }

    @Override
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public EventInfo acknowledge(EventId id) {
        EventInfo event = find(id);
        if (!store.acknowledge(id, actor(), clock.instant())) {
            return event;
        }
        auditLog.record(AuditAction.EVENT_ACKNOWLEDGED, event.objectKey(), event.rule() + ": " + event.message());
        EventInfo acknowledged = find(id);
        long open = store.count(EventState.OPEN);
        AfterTransaction.onCommit(() -> announce(new EventChange(acknowledged, open, EventChange.Kind.ACKNOWLEDGED)));
        return acknowledged;
    }

    @Override
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public long openCount() {
        return store.count(EventState.OPEN);
    }

    @Override
    @PreAuthorize(Role.Expressions.VIEWER)
    public Subscription subscribe(Consumer<EventChange> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public AlertThresholds thresholds() {
        return store.thresholds();
    }

    @Override
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public AlertThresholds updateThresholds(AlertThresholds thresholds) {
        validate(thresholds);
        AlertThresholds before = store.thresholds();
        store.saveThresholds(thresholds, actor(), clock.instant());
        auditLog.record(AuditAction.ALERT_THRESHOLDS_CHANGED, "alert thresholds", before + " -> " + thresholds);
        return store.thresholds();
    }

    static void validate(AlertThresholds t) {
        if (t.poolWarningPercent() < 1 || t.poolWarningPercent() > 100) {
            throw new InvalidInputException("poolWarningPercent",
                    "The pool warning level is 1 to 100 (percent of capacity), not " + t.poolWarningPercent() + ".");
        }
        if (t.poolCriticalPercent() < t.poolWarningPercent() || t.poolCriticalPercent() > 100) {
            throw new InvalidInputException("poolCriticalPercent", "The pool critical level is between the warning level ("
                    + t.poolWarningPercent() + ") and 100, not " + t.poolCriticalPercent() + ".");
        }
        Long latency = t.latencyP99Micros();
        if (latency != null && (latency < 1 || latency > MAX_LATENCY_MICROS)) {
            throw new InvalidInputException("latencyP99Micros", "The p99 latency bound is 1 to " + MAX_LATENCY_MICROS
                    + " µs, or null to switch the rule off; not " + latency + ".");
        }
        Long errors = t.queuePairErrorsPerMinute();
        if (errors != null && errors < 1) {
            throw new InvalidInputException("queuePairErrorsPerMinute",
                    "The queue-pair error rate is at least 1 per minute, or null to switch the rule off; not " + errors + ".");
        }
    }

    /** Tells every listener and queues the change for delivery outside the console; called after the commit. */
    void announce(EventChange change) {
        dispatcher.deliver(change);
        for (Consumer<EventChange> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                log.warn("An event listener failed on event {}", change.event().id(), e);
            }
        }
    }

    private EventInfo find(EventId id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("There is no event with id " + id + "."));
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? AuditLog.SYSTEM_ACTOR : authentication.getName();
    }
}
