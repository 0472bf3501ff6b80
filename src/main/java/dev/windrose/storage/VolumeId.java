package dev.windrose.storage;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a volume; JSON shows it as a plain number. */
public record VolumeId(@JsonValue long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
