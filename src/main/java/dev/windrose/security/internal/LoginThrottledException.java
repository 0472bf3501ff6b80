package dev.windrose.security.internal;

import java.time.Duration;
import org.springframework.security.authentication.LockedException;

/** Sign-in refused without checking the password, because of too many recent failures. */
public class LoginThrottledException extends LockedException {

    private final Duration retryAfter;

    public LoginThrottledException(Duration retryAfter) {
        super("Too many failed sign-ins for this user or from this address. Try again in "
                + describe(retryAfter) + ".");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds to wait, rounded up (for Retry-After), at least 1. */
    public long retryAfterSeconds() {
        return secondsRoundedUp(retryAfter);
    }

    private static long secondsRoundedUp(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    private static String describe(Duration duration) {
        long seconds = secondsRoundedUp(duration);
        if (seconds < 120) {
            return seconds + " seconds";
        }
        return ((seconds + 59) / 60) + " minutes";
    }
}
