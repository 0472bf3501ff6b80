package dev.windrose.telemetry;

/** Raised events are OPEN until someone acknowledges them; any event is CLEARED once its condition is gone. */
public enum EventState {
    /** The condition holds and nobody has acknowledged it yet: counted by the header badge. */
    OPEN,
    /** The condition still holds; someone has seen it. */
    ACKNOWLEDGED,
    /** The condition is gone (whether or not it was acknowledged). */
    CLEARED
}
