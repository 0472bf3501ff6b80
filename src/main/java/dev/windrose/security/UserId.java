package dev.windrose.security;

/** Identifies a user. */
public record UserId(long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
