package dev.windrose.inventory;

/** Identifies a disk of some host. */
public record DiskId(long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
