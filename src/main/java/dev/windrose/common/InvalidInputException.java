package dev.windrose.common;

/** A value given by a user or a client is unacceptable; {@link #field()} names it (REST answers 400). */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
