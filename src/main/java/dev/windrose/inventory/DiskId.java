package dev.windrose.inventory;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a disk of some host; JSON shows it as a plain number. */
public record DiskId(@JsonValue long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
