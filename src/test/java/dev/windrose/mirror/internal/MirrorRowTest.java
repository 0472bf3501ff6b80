package dev.windrose.mirror.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.mirror.Leg;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class MirrorRowTest {

    private static final Instant STARTED = Instant.parse("2026-12-07T23:00:00Z");

    private static MirrorRow reported(String state, @Nullable Long done, @Nullable Long total, Duration after) {
        return new MirrorRow(1, "m", 1 << 26, Leg.A, 3, 3, 2, 10, 11, 1, 2, "/a", "/b", 5000L, state, 0L, done, total,
                STARTED.plus(after), STARTED, null, null, null);
    }

    @Test
    void the_time_left_follows_the_pace_kept_so_far() {
        // a quarter copied in 2 s: three quarters take 6 s more
        assertThat(reported("RESYNCING", 4L, 16L, Duration.ofSeconds(2)).resyncTimeLeft()).isEqualTo(Duration.ofSeconds(6));
        assertThat(reported("RESYNCING", 16L, 16L, Duration.ofSeconds(2)).resyncTimeLeft()).isEqualTo(Duration.ZERO);
    }

    @Test
    void there_is_no_estimate_without_a_pace_or_a_running_resync() {
        assertThat(reported("RESYNCING", 0L, 16L, Duration.ofSeconds(2)).resyncTimeLeft()).as("nothing copied yet").isNull();
        assertThat(reported("RESYNCING", 4L, 16L, Duration.ZERO).resyncTimeLeft()).as("no time elapsed").isNull();
        assertThat(reported("DEGRADED", 4L, 16L, Duration.ofSeconds(2)).resyncTimeLeft()).isNull();
        assertThat(reported("RESYNCING", null, null, Duration.ofSeconds(2)).resyncTimeLeft()).isNull();
    }
}
