package dev.windrose.security;

import dev.windrose.common.ConflictException;

/** The first administrator exists already; the first-run setup cannot run again. */
public class SetupAlreadyDoneException extends ConflictException {

    public SetupAlreadyDoneException() {
        super("Windrose is already set up: an administrator exists. Sign in instead.");
    }
}
