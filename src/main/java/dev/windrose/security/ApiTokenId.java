package dev.windrose.security;

/** Identifies an API token (not its secret). */
public record ApiTokenId(long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
