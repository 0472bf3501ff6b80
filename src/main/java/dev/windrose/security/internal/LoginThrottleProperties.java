package dev.windrose.security.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param freeAttempts failures allowed before a username or an address is locked
 * @param firstDelay lock after the first failure beyond the free ones; doubles with each further one
 * @param maxDelay the longest lock
 */
@ConfigurationProperties(prefix = "windrose.login-throttle")
public record LoginThrottleProperties(int freeAttempts, Duration firstDelay, Duration maxDelay) {

    public LoginThrottleProperties {
        if (freeAttempts < 1) {
            throw new IllegalArgumentException("windrose.login-throttle.free-attempts must be at least 1");
        }
        if (firstDelay == null || firstDelay.isNegative() || firstDelay.isZero()) {
            throw new IllegalArgumentException("windrose.login-throttle.first-delay must be positive");
        }
        if (maxDelay == null || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("windrose.login-throttle.max-delay must be at least first-delay");
        }
    }
}
