package dev.windrose.inventory;

/** Identifies a host (node). */
public record HostId(long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
