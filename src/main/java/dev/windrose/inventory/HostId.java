package dev.windrose.inventory;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a host (node); JSON shows it as a plain number. */
public record HostId(@JsonValue long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
