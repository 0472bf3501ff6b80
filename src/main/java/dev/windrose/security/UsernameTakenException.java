package dev.windrose.security;

import dev.windrose.common.ConflictException;

/** Another user already has this name. */
public class UsernameTakenException extends ConflictException {

    public UsernameTakenException(String username) {
        super("The username '" + username + "' is already taken.");
    }
}
