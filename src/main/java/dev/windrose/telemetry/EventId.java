package dev.windrose.telemetry;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies an event; JSON shows it as a plain number. */
public record EventId(@JsonValue long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
