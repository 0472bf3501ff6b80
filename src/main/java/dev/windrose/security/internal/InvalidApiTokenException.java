package dev.windrose.security.internal;

import org.springframework.security.authentication.BadCredentialsException;

/** The bearer token is unknown, expired or revoked; the message says which. */
public class InvalidApiTokenException extends BadCredentialsException {

    public InvalidApiTokenException(String message) {
        super(message);
    }
}
