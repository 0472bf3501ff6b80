package dev.windrose.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.inventory.HostId;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolType;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.Severity;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Which pools raise the pool rule: those running out of space, never those merely fully allocated. */
class PoolAlertTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final AlertThresholds DEFAULTS = AlertThresholds.DEFAULTS;

    @Test
    void a_thick_pool_allocated_to_the_last_byte_raises_nothing() {
        assertThat(AlertEvaluator.poolCondition(pool(PoolType.DISK, 10 * GIB, 10 * GIB, 10L * GIB), DEFAULTS)).isEmpty();
        assertThat(AlertEvaluator.poolCondition(pool(PoolType.MEMORY, 10 * GIB, 10 * GIB, 10L * GIB), DEFAULTS)).isEmpty();
    }

    @Test
    void a_directory_pool_of_preallocated_volumes_raises_nothing_however_full() {
        assertThat(AlertEvaluator.poolCondition(pool(PoolType.DIRECTORY, 10 * GIB, 10 * GIB, 10L * GIB), DEFAULTS)).isEmpty();
    }

    @Test
    void a_thin_pool_whose_written_data_passes_the_warning_level_raises_a_warning_that_says_what_may_still_be_claimed() {
        var condition = AlertEvaluator.poolCondition(pool(PoolType.DIRECTORY, 10 * GIB, 15 * GIB, 17L * GIB / 2), DEFAULTS);
        assertThat(condition).hasValueSatisfying(c -> {
            assertThat(c.severity()).isEqualTo(Severity.WARNING);
            assertThat(c.objectKey()).isEqualTo("pool:7");
            assertThat(c.message()).isEqualTo("Running out of space: volumes have written 85% of the capacity and thin "
                    + "volumes may still claim 6.5 GiB; writes fail once the pool is full (warning above 80%, critical "
                    + "above 90%). Add capacity or move volumes.");
        });
    }

    @Test
    void a_thin_pool_above_the_critical_level_is_critical_and_one_below_the_warning_level_raises_nothing() {
        assertThat(AlertEvaluator.poolCondition(pool(PoolType.DIRECTORY, 10 * GIB, 15 * GIB, 19L * GIB / 2), DEFAULTS))
                .hasValueSatisfying(c -> assertThat(c.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(AlertEvaluator.poolCondition(pool(PoolType.DIRECTORY, 10 * GIB, 15 * GIB, 7L * GIB), DEFAULTS)).isEmpty();
    }

    @Test
    void a_pool_whose_use_cannot_be_measured_raises_nothing() {
        assertThat(AlertEvaluator.poolCondition(pool(PoolType.DIRECTORY, 10 * GIB, 15 * GIB, null), DEFAULTS)).isEmpty();
    }

    private static PoolInfo pool(PoolType type, long capacity, long allocated, @Nullable Long used) {
        int overcommit = type == PoolType.DIRECTORY ? 200 : 100;
        return new PoolInfo(new PoolId(7), new HostId(1), "pool1", type, type == PoolType.DIRECTORY ? "/srv/pool1" : null,
                List.of(), capacity, allocated, used, overcommit, capacity * overcommit / 100, 1, List.of(),
                type == PoolType.MEMORY, Instant.EPOCH);
    }
}
