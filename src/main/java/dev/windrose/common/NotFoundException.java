package dev.windrose.common;

/** The addressed object does not exist, or is not visible to the caller (REST answers 404). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
