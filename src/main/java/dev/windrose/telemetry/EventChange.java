package dev.windrose.telemetry;

/**
 * An event was raised, changed, acknowledged or cleared.
 *
 * @param openCount events in state OPEN after the change (the header badge)
 */
public record EventChange(EventInfo event, long openCount) {
}
