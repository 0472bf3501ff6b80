package dev.windrose.fabric;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a subsystem; JSON shows it as a plain number. */
public record SubsystemId(@JsonValue long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
