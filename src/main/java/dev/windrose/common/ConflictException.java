package dev.windrose.common;

/** The request contradicts the current state, e.g. a name that is already taken (REST answers 409). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
