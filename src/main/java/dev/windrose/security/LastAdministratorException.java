package dev.windrose.security;

import dev.windrose.common.ConflictException;

/** The change would leave Windrose without an enabled administrator. */
public class LastAdministratorException extends ConflictException {

    public LastAdministratorException(String username) {
        super("'" + username + "' is the last enabled administrator: make another user an administrator first.");
    }
}
