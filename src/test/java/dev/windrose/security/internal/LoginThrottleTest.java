package dev.windrose.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginThrottleProperties(5, Duration.ofSeconds(30), Duration.ofMinutes(15)), clock);

    @Test
    void five_failures_are_free_and_the_sixth_locks_the_username_for_the_first_delay() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("alice", "10.0.0.1");
        }
        assertThat(throttle.remainingLock("alice", "10.0.0.1")).isEmpty();
        throttle.recordFailure("alice", "10.0.0.1");
        assertThat(throttle.remainingLock("alice", "10.0.0.1")).contains(Duration.ofSeconds(30));
        assertThat(throttle.remainingLock("ALICE", "10.9.9.9")).as("per username, whatever the address")
                .contains(Duration.ofSeconds(30));
    }

    @Test
    void failures_from_one_address_lock_that_address_for_every_username() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("user" + i, "10.0.0.2");
        }
        assertThat(throttle.remainingLock("someone-else", "10.0.0.2")).contains(Duration.ofSeconds(30));
        assertThat(throttle.remainingLock("someone-else", "10.0.0.3")).isEmpty();
    }

    @Test
    void the_lock_doubles_with_each_further_failure_up_to_the_maximum_and_then_expires() {
        assertThat(throttle.lockFor(4)).isZero();
        assertThat(throttle.lockFor(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(throttle.lockFor(6)).isEqualTo(Duration.ofSeconds(60));
        assertThat(throttle.lockFor(7)).isEqualTo(Duration.ofSeconds(120));
        assertThat(throttle.lockFor(50)).isEqualTo(Duration.ofMinutes(15));

        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("bob", null);
        }
        clock.advance(Duration.ofSeconds(29));
        assertThat(throttle.remainingLock("bob", null)).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.remainingLock("bob", null)).isEmpty();
    }

    @Test
    void only_the_first_refusal_of_a_lock_is_reported_and_a_new_failure_starts_a_new_report() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("dave", "10.0.0.5");
        }
        assertThat(throttle.firstRefusalOfLock("dave", "10.0.0.5")).isTrue();
        assertThat(throttle.firstRefusalOfLock("dave", "10.0.0.5")).isFalse();
        assertThat(throttle.firstRefusalOfLock("dave", "10.0.0.5")).isFalse();

        clock.advance(Duration.ofSeconds(31));
        throttle.recordFailure("dave", "10.0.0.5");
        assertThat(throttle.firstRefusalOfLock("dave", "10.0.0.5")).isTrue();
    }

    @Test
    void a_success_clears_that_username_but_not_the_address() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("carol", "10.0.0.4");
        }
        throttle.recordSuccess("carol", "10.0.0.4");
        assertThat(throttle.remainingLock("carol", "10.0.0.9")).as("carol's own count starts again").isEmpty();

        throttle.recordFailure("carol", "10.0.0.4");
        assertThat(throttle.remainingLock("anyone", "10.0.0.4")).as("the address still counts all five")
                .contains(Duration.ofSeconds(30));
        assertThat(throttle.remainingLock("carol", "10.0.0.9")).isEmpty();
    }

    @Test
    void interleaving_a_valid_sign_in_does_not_reset_the_address_for_a_guesser_spreading_over_many_users() {
        int guesses = 0;
        int refused = 0;
        for (int user = 0; user < 16; user++) {
            if (throttle.remainingLock("victim" + user, "10.0.0.6").isPresent()) {
                refused++;
            } else {
                throttle.recordFailure("victim" + user, "10.0.0.6");
                guesses++;
            }
            if (user % 4 == 3) {
                throttle.recordSuccess("accomplice", "10.0.0.6");
            }
        }
        assertThat(guesses).as("guesses let through").isEqualTo(5);
        assertThat(refused).isEqualTo(11);
    }

    @Test
    void the_message_of_a_throttled_sign_in_says_how_long_to_wait() {
        assertThat(new LoginThrottledException(Duration.ofSeconds(30)).getMessage())
                .isEqualTo("Too many failed sign-ins for this user or from this address. Try again in 30 seconds.");
        assertThat(new LoginThrottledException(Duration.ofMinutes(15)).getMessage()).endsWith("Try again in 15 minutes.");
    }
}
