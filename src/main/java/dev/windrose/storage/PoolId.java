package dev.windrose.storage;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies a storage pool; JSON shows it as a plain number. */
public record PoolId(@JsonValue long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
