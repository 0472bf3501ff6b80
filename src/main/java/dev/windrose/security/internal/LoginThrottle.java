package dev.windrose.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing: counts failed sign-ins per username and per remote address; after
 * the free attempts each key is locked for a delay that doubles with every further failure.
 * A success clears the username's count only; an address's count fades with quiet time. State is in memory, per node: a restart forgives, which is
 * acceptable since the delays are minutes, not days. Entries are forgotten after a quiet day, so the
 * maps cannot grow without bound from a slow scan.
 */
@Component
public class LoginThrottle {

    private static final Duration FORGET_AFTER = Duration.ofDays(1);
    private static final int MAX_TRACKED_KEYS = 100_000;

    /** @param refusalReported whether a refused attempt during the current lock was already audited */
    private record Failures(int count, Instant lastFailure, Instant lockedUntil, boolean refusalReported) {
    }

    private final ConcurrentMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final LoginThrottleProperties properties;
    private final Clock clock;

    LoginThrottle(LoginThrottleProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** How long the caller must still wait, if the username or the address is locked now. */
    public Optional<Duration> remainingLock(String username, @Nullable String remoteAddress) {
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        for (String key : keys(username, remoteAddress)) {
            Failures entry = failures.get(key);
            if (entry != null && entry.lockedUntil().isAfter(now)) {
                Duration remaining = Duration.between(now, entry.lockedUntil());
                longest = remaining.compareTo(longest) > 0 ? remaining : longest;
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    public void recordFailure(String username, @Nullable String remoteAddress) {
        Instant now = clock.instant();
        forgetOldEntriesIfCrowded(now);
        for (String key : keys(username, remoteAddress)) {
            failures.compute(key, (k, previous) -> nextFailure(previous, now));
        }
    }

    /**
     * Clears that username's count only. The address keeps its count: otherwise one valid sign-in after
     * every few guesses would let a script guess on forever against many usernames from one address.
     */
    public void recordSuccess(String username, @Nullable String remoteAddress) {
        failures.remove(userKey(username));
    }

    private Failures nextFailure(@Nullable Failures previous, Instant now) {
        int count = previous == null || previous.lastFailure().plus(FORGET_AFTER).isBefore(now)
                ? 1 : previous.count() + 1;
        return new Failures(count, now, now.plus(lockFor(count)), false);
    }

    /**
     * True for the first refused attempt of the current lock on this username or address, false for
     * the ones after it: the audit log records that sign-in was paused without letting a guessing
     * script fill it with one row per attempt.
     */
    public boolean firstRefusalOfLock(String username, @Nullable String remoteAddress) {
        boolean first = false;
        for (String key : keys(username, remoteAddress)) {
            Failures entry = failures.get(key);
            if (entry != null && !entry.refusalReported()) {
                failures.replace(key, entry, new Failures(entry.count(), entry.lastFailure(), entry.lockedUntil(), true));
                first = true;
            }
        }
        return first;
    }

    /** No lock for the free attempts, then firstDelay, 2×, 4×, … up to maxDelay. */
    Duration lockFor(int failureCount) {
        int beyondFree = failureCount - properties.freeAttempts();
        if (beyondFree < 0) {
            return Duration.ZERO;
        }
        Duration delay = properties.firstDelay().multipliedBy(1L << Math.min(beyondFree, 30));
        return delay.compareTo(properties.maxDelay()) > 0 ? properties.maxDelay() : delay;
    }

    private void forgetOldEntriesIfCrowded(Instant now) {
        if (failures.size() >= MAX_TRACKED_KEYS) {
            failures.values().removeIf(entry -> entry.lastFailure().plus(FORGET_AFTER).isBefore(now)
                    || entry.lockedUntil().isBefore(now));
        }
    }

    private static String[] keys(String username, @Nullable String remoteAddress) {
        String userKey = userKey(username);
        return remoteAddress == null ? new String[] {userKey} : new String[] {userKey, "addr:" + remoteAddress};
    }

    private static String userKey(String username) {
        return "user:" + username.strip().toLowerCase(Locale.ROOT);
    }
}
