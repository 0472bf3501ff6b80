package dev.windrose.aggregation;

import static dev.windrose.aggregation.Layouts.GIB;
import static dev.windrose.aggregation.Layouts.cache;
import static dev.windrose.aggregation.Layouts.capacity;
import static dev.windrose.aggregation.Layouts.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.aggregation.CapacityPlan.Option;
import org.junit.jupiter.api.Test;

/** Worked numbers: usable = (raw - reserve) x efficiency, per option, as each platform documents it. */
class CapacityPlannerTest {

    @Test
    void s2d_with_four_servers_of_four_1000_gib_drives() {
        // raw 16000 GiB; reserve one drive per server, up to 4: 4000 GiB; 12000 GiB left.
        CapacityPlan plan = CapacityPlanner.plan(cluster(Platform.S2D, 4, capacity(4, 1000 * GIB)));
        assertThat(plan.rawBytes()).isEqualTo(16000 * GIB);
        assertThat(option(plan, "Two-way mirror").usableBytes()).isEqualTo(6000 * GIB);
        assertThat(option(plan, "Three-way mirror").usableBytes()).isEqualTo(4000 * GIB);
        Option parity = option(plan, "Dual parity");
        assertThat(parity.layout()).isEqualTo("RS 2+2");
        assertThat(parity.efficiency()).isEqualTo(0.5);
        assertThat(parity.reserveBytes()).isEqualTo(4000 * GIB);
        assertThat(parity.usableBytes()).isEqualTo(6000 * GIB);
    }

    @Test
    void s2d_dual_parity_follows_the_all_flash_table_by_server_count() {
        // 7 servers: RS 4+2 (66.7%) of 28000 - 4000 = 16000 GiB.
        Option seven = option(CapacityPlanner.plan(cluster(Platform.S2D, 7, capacity(4, 1000 * GIB))), "Dual parity");
        assertThat(seven.layout()).isEqualTo("RS 4+2");
        assertThat(seven.usableBytes()).isEqualTo(16000 * GIB);
        // 9 servers: RS 6+2 (75%) of 36000 - 4000 = 24000 GiB.
        Option nine = option(CapacityPlanner.plan(cluster(Platform.S2D, 9, capacity(4, 1000 * GIB))), "Dual parity");
        assertThat(nine.layout()).isEqualTo("RS 6+2");
        assertThat(nine.usableBytes()).isEqualTo(24000 * GIB);
        // 16 servers: LRC (12, 2, 1) (80%) of 64000 - 4000 = 48000 GiB; the reserve stops at 4 drives.
        Option sixteen = option(CapacityPlanner.plan(cluster(Platform.S2D, 16, capacity(4, 1000 * GIB))), "Dual parity");
        assertThat(sixteen.layout()).isEqualTo("LRC (12, 2, 1)");
        assertThat(sixteen.reserveBytes()).isEqualTo(4000 * GIB);
        assertThat(sixteen.usableBytes()).isEqualTo(48000 * GIB);
        assertThat(CapacityPlanner.s2dDualParity(6)).containsExactly(2, 4);
        assertThat(CapacityPlanner.s2dDualParity(8)).containsExactly(4, 6);
        assertThat(CapacityPlanner.s2dDualParity(15)).containsExactly(6, 8);
    }

    @Test
    void s2d_options_that_need_more_servers_say_so() {
        CapacityPlan three = CapacityPlanner.plan(cluster(Platform.S2D, 3, capacity(4, 1000 * GIB)));
        assertThat(option(three, "Dual parity").available()).isFalse();
        assertThat(option(three, "Dual parity").unavailableBecause()).isEqualTo("needs at least 4 servers");
        assertThat(option(three, "Dual parity").usableBytes()).isZero();
        CapacityPlan two = CapacityPlanner.plan(cluster(Platform.S2D, 2, capacity(4, 100 * GIB)));
        // 800 GiB raw, 200 GiB reserve (2 servers x 1 drive): 300 GiB two-way mirrored.
        assertThat(option(two, "Two-way mirror").usableBytes()).isEqualTo(300 * GIB);
        assertThat(option(two, "Three-way mirror").available()).isFalse();
        assertThat(option(three, "Three-way mirror").available()).isTrue();
    }

    @Test
    void vsan_esa_with_three_hosts_uses_raid_5_two_plus_one() {
        // raw 12000 GiB; host rebuild reserve = the largest host, 4000 GiB; 8000 GiB left.
        CapacityPlan plan = CapacityPlanner.plan(cluster(Platform.VSAN_ESA, 3, capacity(4, 1000 * GIB)));
        assertThat(option(plan, "RAID-1 (FTT=1)").usableBytes()).isEqualTo(4000 * GIB);
        assertThat(option(plan, "RAID-1 (FTT=2)").unavailableBecause()).isEqualTo("needs at least 5 hosts");
        Option raid5 = option(plan, "RAID-5 (FTT=1)");
        assertThat(raid5.layout()).isEqualTo("2+1");
        assertThat(raid5.usableBytes()).isEqualTo(8000 * GIB * 2 / 3);
        assertThat(option(plan, "RAID-6 (FTT=2)").available()).isFalse();
    }

    @Test
    void vsan_esa_with_six_hosts_uses_raid_5_four_plus_one_and_allows_raid_6() {
        // raw 24000 GiB, reserve 4000 GiB: 20000 GiB left.
        CapacityPlan plan = CapacityPlanner.plan(cluster(Platform.VSAN_ESA, 6, capacity(4, 1000 * GIB)));
        assertThat(option(plan, "RAID-5 (FTT=1)").layout()).isEqualTo("4+1");
        assertThat(option(plan, "RAID-5 (FTT=1)").usableBytes()).isEqualTo(16000 * GIB);
        assertThat(option(plan, "RAID-6 (FTT=2)").usableBytes()).isEqualTo(20000 * GIB * 4 / 6);
        assertThat(option(plan, "RAID-1 (FTT=2)").usableBytes()).isEqualTo(20000 * GIB / 3);
        assertThat(option(CapacityPlanner.plan(cluster(Platform.VSAN_ESA, 5, capacity(4, 1000 * GIB))),
                "RAID-5 (FTT=1)").layout()).isEqualTo("2+1");
    }

    @Test
    void vsan_osa_counts_no_cache_and_needs_four_hosts_for_raid_5() {
        // 4 hosts, each 1 x 200 GiB cache + 4 x 1000 GiB: raw 16000 GiB, reserve 4000 GiB, 12000 GiB left.
        CapacityPlan plan = CapacityPlanner.plan(cluster(Platform.VSAN_OSA, 4, cache(1, 200 * GIB),
                capacity(4, 1000 * GIB)));
        assertThat(plan.rawBytes()).isEqualTo(16000 * GIB);
        assertThat(plan.cacheBytes()).isEqualTo(800 * GIB);
        assertThat(option(plan, "RAID-5 (FTT=1)").layout()).isEqualTo("3+1");
        assertThat(option(plan, "RAID-5 (FTT=1)").usableBytes()).isEqualTo(9000 * GIB);
        assertThat(option(plan, "RAID-1 (FTT=1)").usableBytes()).isEqualTo(6000 * GIB);
        assertThat(option(plan, "RAID-6 (FTT=2)").unavailableBecause()).isEqualTo("needs at least 6 hosts");
        CapacityPlan three = CapacityPlanner.plan(cluster(Platform.VSAN_OSA, 3, cache(1, 200 * GIB),
                capacity(4, 1000 * GIB)));
        assertThat(option(three, "RAID-5 (FTT=1)").unavailableBecause()).isEqualTo("needs at least 4 hosts");
    }

    @Test
    void a_two_node_vsan_cluster_mirrors_with_a_witness_and_has_no_rebuild_reserve() {
        CapacityPlan plan = CapacityPlanner.plan(cluster(Platform.VSAN_ESA, 2, capacity(2, 1000 * GIB)));
        assertThat(option(plan, "RAID-1 (FTT=1)").reserveBytes()).isZero();
        assertThat(option(plan, "RAID-1 (FTT=1)").usableBytes()).isEqualTo(2000 * GIB);
        assertThat(option(plan, "RAID-5 (FTT=1)").available()).isFalse();
    }

    private static Option option(CapacityPlan plan, String name) {
        return plan.options().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }
}
