package dev.windrose.aggregation;

import static dev.windrose.aggregation.Layouts.GIB;
import static dev.windrose.aggregation.Layouts.POOL_A;
import static dev.windrose.aggregation.Layouts.cache;
import static dev.windrose.aggregation.Layouts.capacity;
import static dev.windrose.aggregation.Layouts.check;
import static dev.windrose.aggregation.Layouts.cluster;
import static dev.windrose.aggregation.Layouts.errors;
import static dev.windrose.aggregation.Layouts.member;
import static dev.windrose.aggregation.Layouts.warnings;
import static dev.windrose.aggregation.Layouts.withMember;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.inventory.HostId;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each rule on both sides of its bound; a valid layout of each platform has no error at all. */
class PlatformRulesTest {

    // ---- StorageSpacesDirect -------------------------------------------------------------

    @Test
    void two_servers_with_four_capacity_drives_each_pass() {
        assertThat(errors(cluster(Platform.S2D, 2, capacity(4, 100 * GIB)))).isEmpty();
    }

    @Test
    void one_server_is_refused_and_two_are_enough() {
        assertThat(errors(cluster(Platform.S2D, 1, capacity(4, 100 * GIB)))).contains("s2d.servers");
        assertThat(errors(cluster(Platform.S2D, 2, capacity(4, 100 * GIB)))).doesNotContain("s2d.servers");
    }

    @Test
    void sixteen_servers_pass_and_seventeen_are_refused() {
        assertThat(errors(cluster(Platform.S2D, 16, capacity(4, 100 * GIB)))).doesNotContain("s2d.servers");
        assertThat(errors(cluster(Platform.S2D, 17, capacity(4, 100 * GIB)))).contains("s2d.servers");
    }

    @Test
    void three_capacity_drives_per_server_are_refused_in_words_and_four_pass() {
        List<Finding> findings = check(cluster(Platform.S2D, 2, capacity(3, 100 * GIB)));
        assertThat(findings).filteredOn(f -> f.rule().equals("s2d.capacity-drives"))
                .hasSize(2)
                .allSatisfy(f -> {
                    assertThat(f.message()).contains("has 3 capacity drives").contains("at least 4 per server");
                    assertThat(f.source()).startsWith("https://learn.microsoft.com/");
                });
        assertThat(errors(cluster(Platform.S2D, 2, capacity(4, 100 * GIB)))).doesNotContain("s2d.capacity-drives");
    }

    @Test
    void one_cache_drive_is_refused_while_none_or_two_pass() {
        assertThat(errors(cluster(Platform.S2D, 2, cache(1, 50 * GIB), capacity(4, 100 * GIB))))
                .contains("s2d.cache-drives");
        assertThat(errors(cluster(Platform.S2D, 2, cache(2, 50 * GIB), capacity(4, 100 * GIB))))
                .doesNotContain("s2d.cache-drives");
        assertThat(errors(cluster(Platform.S2D, 2, capacity(4, 100 * GIB)))).doesNotContain("s2d.cache-drives");
    }

    @Test
    void capacity_drives_not_a_multiple_of_cache_drives_are_a_warning() {
        assertThat(warnings(cluster(Platform.S2D, 2, cache(2, 50 * GIB), capacity(5, 100 * GIB))))
                .contains("s2d.cache-ratio");
        assertThat(warnings(cluster(Platform.S2D, 2, cache(2, 50 * GIB), capacity(6, 100 * GIB))))
                .doesNotContain("s2d.cache-ratio");
    }

    @Test
    void a_server_with_another_drive_count_or_size_is_refused() {
        Proposal base = cluster(Platform.S2D, 3, capacity(4, 100 * GIB));
        Proposal moreDrives = withMember(base, 2, member(3, Platform.S2D, capacity(5, 100 * GIB)));
        Proposal biggerDrives = withMember(base, 2, member(3, Platform.S2D, capacity(4, 200 * GIB)));
        assertThat(errors(moreDrives)).contains("s2d.symmetry");
        assertThat(check(biggerDrives)).filteredOn(f -> f.rule().equals("s2d.symmetry"))
                .singleElement().satisfies(f -> assertThat(f.message())
                        .contains("node1's capacity drives are 100 GiB and node3's are 200 GiB"));
        assertThat(errors(base)).doesNotContain("s2d.symmetry");
    }

    @Test
    void fabric_drives_are_always_flagged_as_a_support_question() {
        assertThat(warnings(cluster(Platform.S2D, 2, capacity(4, 100 * GIB)))).contains("s2d.fabric-drives");
    }

    // ---- VsanOriginalStorageArchitecture -------------------------------------------------

    @Test
    void three_hosts_with_a_disk_group_each_pass() {
        assertThat(errors(cluster(Platform.VSAN_OSA, 3, cache(1, 100 * GIB), capacity(2, 500 * GIB)))).isEmpty();
    }

    @Test
    void a_host_without_a_cache_drive_is_refused() {
        assertThat(errors(cluster(Platform.VSAN_OSA, 3, capacity(2, 500 * GIB)))).contains("osa.cache-tier");
    }

    @Test
    void five_disk_groups_pass_and_six_are_refused() {
        assertThat(errors(cluster(Platform.VSAN_OSA, 3, cache(5, 100 * GIB), capacity(5, 500 * GIB))))
                .doesNotContain("osa.disk-groups");
        assertThat(errors(cluster(Platform.VSAN_OSA, 3, cache(6, 100 * GIB), capacity(6, 500 * GIB))))
                .contains("osa.disk-groups");
    }

    @Test
    void seven_capacity_drives_per_disk_group_pass_and_eight_are_refused() {
        assertThat(errors(cluster(Platform.VSAN_OSA, 3, cache(1, 400 * GIB), capacity(7, 500 * GIB))))
                .doesNotContain("osa.capacity-per-group");
        assertThat(errors(cluster(Platform.VSAN_OSA, 3, cache(1, 400 * GIB), capacity(8, 500 * GIB))))
                .contains("osa.capacity-per-group");
    }

    @Test
    void a_disk_group_without_a_capacity_drive_is_refused() {
        assertThat(errors(cluster(Platform.VSAN_OSA, 3, cache(2, 100 * GIB), capacity(1, 500 * GIB))))
                .contains("osa.capacity-per-group");
    }

    @Test
    void cache_under_ten_percent_of_capacity_is_a_warning() {
        assertThat(warnings(cluster(Platform.VSAN_OSA, 3, cache(1, 99 * GIB), capacity(2, 500 * GIB))))
                .contains("osa.cache-size");
        assertThat(warnings(cluster(Platform.VSAN_OSA, 3, cache(1, 100 * GIB), capacity(2, 500 * GIB))))
                .doesNotContain("osa.cache-size");
    }

    @Test
    void two_hosts_need_a_witness_one_is_refused_and_sixty_five_are_too_many() {
        assertThat(errors(cluster(Platform.VSAN_OSA, 1, cache(1, 100 * GIB), capacity(2, 500 * GIB))))
                .contains("vsan.hosts");
        assertThat(warnings(cluster(Platform.VSAN_OSA, 2, cache(1, 100 * GIB), capacity(2, 500 * GIB))))
                .contains("vsan.two-node");
        assertThat(errors(cluster(Platform.VSAN_OSA, 64, cache(1, 100 * GIB), capacity(2, 500 * GIB))))
                .doesNotContain("vsan.hosts");
        assertThat(errors(cluster(Platform.VSAN_OSA, 65, cache(1, 100 * GIB), capacity(2, 500 * GIB))))
                .contains("vsan.hosts");
    }

    @Test
    void uneven_hosts_are_only_a_warning_because_vmware_recommends_uniform_ones() {
        Proposal base = cluster(Platform.VSAN_OSA, 3, cache(1, 100 * GIB), capacity(2, 500 * GIB));
        Proposal uneven = withMember(base, 1, member(2, Platform.VSAN_OSA, cache(1, 100 * GIB),
                capacity(3, 500 * GIB)));
        assertThat(errors(uneven)).isEmpty();
        assertThat(warnings(uneven)).contains("vsan.symmetry");
        assertThat(warnings(base)).doesNotContain("vsan.symmetry");
    }

    // ---- VsanExpressStorageArchitecture --------------------------------------------------

    @Test
    void three_hosts_with_capacity_devices_pass() {
        assertThat(errors(cluster(Platform.VSAN_ESA, 3, capacity(4, 1000 * GIB)))).isEmpty();
    }

    @Test
    void a_cache_tier_is_refused_because_esa_has_a_single_tier() {
        assertThat(check(cluster(Platform.VSAN_ESA, 3, cache(1, 100 * GIB), capacity(4, 1000 * GIB))))
                .filteredOn(Finding::blocking).extracting(Finding::rule).containsOnly("esa.no-cache-tier");
    }

    @Test
    void a_host_needs_at_least_one_device() {
        Proposal base = cluster(Platform.VSAN_ESA, 3, capacity(1, 1000 * GIB));
        assertThat(errors(base)).doesNotContain("esa.devices");
        Proposal empty = withMember(base, 0, member(1, Platform.VSAN_ESA, capacity(0, 1000 * GIB)));
        assertThat(errors(empty)).contains("esa.devices", "member.drives");
    }

    // ---- EveryPlatform -------------------------------------------------------------------

    @Test
    void drives_under_one_gib_are_refused_and_one_gib_passes() {
        assertThat(errors(cluster(Platform.VSAN_ESA, 3, capacity(2, GIB - PlatformRules.MIB))))
                .contains("drive.min-size");
        assertThat(errors(cluster(Platform.VSAN_ESA, 3, capacity(2, GIB)))).doesNotContain("drive.min-size");
    }

    @Test
    void a_size_that_is_not_whole_mib_is_refused() {
        assertThat(errors(cluster(Platform.VSAN_ESA, 3, capacity(2, GIB + 512)))).contains("drive.size-unit");
    }

    @Test
    void two_members_with_one_host_nqn_are_refused() {
        Proposal base = cluster(Platform.S2D, 2, capacity(4, 100 * GIB));
        ProposedMember copy = base.members().get(0);
        Proposal clash = withMember(base, 1, new ProposedMember("node2", copy.os(), copy.hostNqn().toUpperCase(),
                null, copy.drives()));
        assertThat(errors(clash)).contains("member.unique-host-nqn");
    }

    @Test
    void names_that_cannot_become_part_of_an_nqn_are_refused() {
        Proposal bad = new Proposal("Lab Cluster", Platform.S2D, cluster(Platform.S2D, 2, capacity(4, 100 * GIB))
                .members());
        assertThat(errors(bad)).contains("name");
    }

    @Test
    void a_member_on_another_os_is_a_warning() {
        Proposal base = cluster(Platform.S2D, 2, capacity(4, 100 * GIB));
        ProposedMember linux = new ProposedMember("node2", MemberOs.LINUX, base.members().get(1).hostNqn(), null,
                base.members().get(1).drives());
        assertThat(warnings(withMember(base, 1, linux))).contains("member.os");
        assertThat(warnings(base)).doesNotContain("member.os");
    }

    @Test
    void all_drives_from_one_storage_host_is_a_warning_and_two_hosts_are_not() {
        Proposal spread = cluster(Platform.S2D, 2, capacity(4, 100 * GIB));
        Proposal oneHost = new Proposal("lab", Platform.S2D, List.of(
                member(1, Platform.S2D, capacity(4, 100 * GIB)), member(2, Platform.S2D, capacity(4, 100 * GIB))));
        assertThat(warnings(oneHost)).contains("placement.one-host");
        assertThat(warnings(spread)).doesNotContain("placement.one-host");
    }

    @Test
    void an_unknown_pool_and_a_pool_without_room_are_refused_and_a_disk_pool_is_a_warning() {
        PoolId small = new PoolId(7);
        PoolId disk = new PoolId(8);
        List<Finding> findings = PlatformRules.check(new Proposal("lab", Platform.S2D, List.of(
                member(1, Platform.S2D, new DriveGroup(DriveTier.CAPACITY, 4, 10 * GIB, small)),
                member(2, Platform.S2D, new DriveGroup(DriveTier.CAPACITY, 4, 10 * GIB, disk)),
                member(3, Platform.S2D, new DriveGroup(DriveTier.CAPACITY, 4, 10 * GIB, new PoolId(9))))),
                id -> id.equals(small) ? Optional.of(new PoolFacts(small, "small", new HostId(1), PoolType.DIRECTORY,
                        40 * GIB - 1))
                        : id.equals(disk) ? Optional.of(new PoolFacts(disk, "raw", new HostId(2), PoolType.DISK,
                                1L << 50))
                        : Optional.empty());
        assertThat(findings).filteredOn(Finding::blocking).extracting(Finding::rule)
                .contains("pool.space", "pool.exists").doesNotContain("pool.disk-extents");
        assertThat(findings).filteredOn(f -> !f.blocking()).extracting(Finding::rule).contains("pool.disk-extents");
        assertThat(findings).filteredOn(f -> f.rule().equals("pool.space")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("asks it for 40 GiB"));
    }

    @Test
    void exactly_the_room_left_in_a_pool_is_enough() {
        PoolId pool = POOL_A;
        List<Finding> findings = PlatformRules.check(new Proposal("lab", Platform.S2D, List.of(
                member(1, Platform.S2D, capacity(4, 10 * GIB)), member(2, Platform.S2D, capacity(4, 10 * GIB)))),
                id -> Optional.of(new PoolFacts(pool, "exact", new HostId(1), PoolType.MEMORY, 80 * GIB)));
        assertThat(findings).extracting(Finding::rule).doesNotContain("pool.space").contains("pool.volatile");
    }

    @Test
    void errors_come_before_warnings() {
        List<Finding> findings = check(cluster(Platform.S2D, 1, capacity(3, 100 * GIB)));
        assertThat(findings.getFirst().blocking()).isTrue();
        assertThat(findings.getLast().blocking()).isFalse();
    }
}
