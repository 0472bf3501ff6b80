package dev.windrose.aggregation;

import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies an aggregation; JSON shows it as a plain number. */
public record AggregationId(@JsonValue long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
