package dev.windrose.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.inventory.HostId;
import dev.windrose.storage.internal.PoolEntity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a pool warns about as it fills: thin pools past their capacity, near full use, at their limit. */
class PoolWarningsTest {

    static final long GIB = 1024L * 1024 * 1024;

    private final PoolEntity thin = new PoolEntity(new HostId(1), "files", PoolType.DIRECTORY, "/srv/windrose", 100 * GIB,
            200, List.of(), Instant.EPOCH);
    private final PoolEntity ram = new PoolEntity(new HostId(1), "ram", PoolType.MEMORY, null, 10 * GIB, 100, List.of(),
            Instant.EPOCH);

    @Test
    void a_thin_pool_with_room_and_little_use_warns_of_nothing() {
        assertThat(PoolService.warnings(thin, 50 * GIB, 10 * GIB)).isEmpty();
    }

    @Test
    void a_thin_pool_allocated_beyond_its_capacity_says_it_is_overcommitted_and_by_how_much() {
        assertThat(PoolService.warnings(thin, 150 * GIB, 10 * GIB))
                .containsExactly("Overcommitted: 150% of the capacity is allocated.");
    }

    @Test
    void a_thin_pool_whose_volumes_really_use_80_percent_warns_that_it_is_filling_up() {
        assertThat(PoolService.warnings(thin, 150 * GIB, 85 * GIB))
                .contains("Filling up: volumes use 85% of the capacity.");
    }

    @Test
    void a_pool_at_its_allocation_limit_is_fully_allocated_but_that_is_no_warning() {
        assertThat(PoolService.warnings(thin, 200 * GIB, 10 * GIB))
                .containsExactly("Overcommitted: 200% of the capacity is allocated.");
        assertThat(PoolService.warnings(ram, 10 * GIB, 10 * GIB)).isEmpty();
    }

    @Test
    void a_thick_pool_is_never_filling_up() {
        assertThat(PoolService.warnings(ram, 9 * GIB, 9 * GIB)).isEmpty();
    }

    @Test
    void a_directory_pool_of_preallocated_files_only_is_not_filling_up_since_nothing_can_claim_more() {
        assertThat(PoolService.warnings(thin, 95 * GIB, 95 * GIB)).isEmpty();
    }
}
