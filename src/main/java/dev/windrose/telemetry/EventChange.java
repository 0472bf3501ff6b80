package dev.windrose.telemetry;

/**
 * An event was raised, changed, acknowledged or cleared.
 *
 * @param kind      what happened to it
 * @param openCount events in state OPEN after the change (the header badge)
 */
public record EventChange(EventInfo event, long openCount, Kind kind) {

    public enum Kind {
        /** A new event: its condition started to hold. */
        RAISED,
        /** An event's severity went up while it lasted. */
        ESCALATED,
        /** It still holds with the same severity; its message changed (not delivered outside the console). */
        UPDATED,
        /** A person acknowledged it. */
        ACKNOWLEDGED,
        /** Its condition no longer holds. */
        CLEARED
    }
}
