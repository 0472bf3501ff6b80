package dev.windrose.telemetry;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

/**
 * Events raised by alert rules: deduplicated per object and rule, acknowledged by operators,
 * cleared when the condition is gone. Reads need VIEWER, acknowledging OPERATOR, thresholds ADMIN
 * to change (VIEWER to read). Every change is audited.
 */
public interface EventService {

    /** Newest first; {@code state} null lists all. */
    Page<EventInfo> list(@Nullable EventState state, Pageable pageable);

    EventInfo get(EventId id);

    /** OPEN → ACKNOWLEDGED, recording who and when; acknowledging an acknowledged or cleared event changes nothing. */
    EventInfo acknowledge(EventId id);

    /** Events in state OPEN. */
    long openCount();

    /**
     * Calls {@code listener} after each change (raised, escalated, acknowledged, cleared), on the
     * thread that made it, after its commit. Listeners must not block.
     */
    Subscription subscribe(Consumer<EventChange> listener);

    AlertThresholds thresholds();

    /** Validates (problem names the field), stores and audits; takes effect at the next evaluation. */
    AlertThresholds updateThresholds(AlertThresholds thresholds);
}
