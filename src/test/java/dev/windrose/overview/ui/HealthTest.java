package dev.windrose.overview.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.dataplane.AnaState;
import dev.windrose.fabric.ObservedState;
import dev.windrose.fabric.SubsystemId;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskKind;
import dev.windrose.inventory.DiskTransport;
import dev.windrose.inventory.HealthStatus;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostState;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolType;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What the dashboard's health card counts, from listings made up for each case. */
class HealthTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void offline_hosts_are_named_and_not_counted_online() {
        Health health = Health.of(List.of(host("a", HostState.ONLINE), host("b", HostState.OFFLINE)), List.of(),
                List.of(), List.of(), 80);
        assertThat(health.hostsOnline()).isEqualTo(1);
        assertThat(health.hostsOffline()).extracting(HostInfo::name).containsExactly("b");
        assertThat(health.allWell()).isFalse();
    }

    @Test
    void disks_warning_or_failing_need_attention_but_unknown_health_and_missing_disks_do_not() {
        Health health = Health.of(List.of(), List.of(disk("ok", HealthStatus.OK, true),
                disk("warn", HealthStatus.WARNING, true), disk("fail", HealthStatus.FAILING, true),
                disk("unknown", HealthStatus.UNKNOWN, true), disk("gone", HealthStatus.WARNING, false)), List.of(),
                List.of(), 80);
        assertThat(health.disksWithWarnings()).extracting(DiskInfo::name).containsExactly("warn", "fail");
    }

    @Test
    void a_thin_pool_runs_out_of_space_from_what_is_written_while_a_full_thick_pool_is_only_fully_allocated() {
        PoolInfo filling = pool("filling", PoolType.DIRECTORY, 10 * GIB, 12 * GIB, 8L * GIB);
        PoolInfo thick = pool("thick", PoolType.DISK, 10 * GIB, 10 * GIB, 10L * GIB);
        PoolInfo roomy = pool("roomy", PoolType.DIRECTORY, 10 * GIB, 2 * GIB, 1L * GIB);
        PoolInfo unmeasured = pool("unmeasured", PoolType.DIRECTORY, 10 * GIB, 9 * GIB, null);
        Health health = Health.of(List.of(), List.of(), List.of(filling, thick, roomy, unmeasured), List.of(), 80);
        assertThat(health.poolsRunningOut()).extracting(PoolInfo::name).containsExactly("filling");
        assertThat(health.poolsFullyAllocated()).extracting(PoolInfo::name).containsExactly("thick");
        assertThat(Health.usedPercent(filling)).isEqualTo(80);
        assertThat(health.capacity()).isEqualTo(new Health.Capacity(4, 40 * GIB, 33 * GIB, 19 * GIB, 1));
    }

    @Test
    void a_fully_allocated_thick_pool_alone_is_all_well() {
        Health health = Health.of(List.of(), List.of(),
                List.of(pool("thick", PoolType.MEMORY, 10 * GIB, 10 * GIB, 10L * GIB)), List.of(), 80);
        assertThat(health.allWell()).isTrue();
    }

    @Test
    void a_subsystem_has_errors_when_it_or_any_of_its_objects_failed_to_apply() {
        SubsystemInfo fine = subsystem("nqn.2026-11.test:fine", ObservedState.APPLIED, ObservedState.APPLIED);
        SubsystemInfo badListener = subsystem("nqn.2026-11.test:listener", ObservedState.APPLIED, ObservedState.FAILED);
        SubsystemInfo pending = subsystem("nqn.2026-11.test:pending", ObservedState.PENDING, ObservedState.PENDING);
        Health health = Health.of(List.of(), List.of(), List.of(), List.of(fine, badListener, pending), 80);
        assertThat(health.subsystemsWithErrors()).extracting(SubsystemInfo::nqn)
                .containsExactly("nqn.2026-11.test:listener");
    }

    @Test
    void nothing_listed_is_all_well() {
        assertThat(Health.of(List.of(), List.of(), List.of(), List.of(), 80).allWell()).isTrue();
    }

    private static HostInfo host(String name, HostState state) {
        return new HostInfo(new HostId(name.hashCode()), name, "machine-" + name, List.of("127.0.0.1"), "Debian",
                "6.1", 2, 4 * GIB, "1.0.0", "adaptive", NOW, NOW, state, false);
    }

    private static DiskInfo disk(String name, HealthStatus status, boolean present) {
        return new DiskInfo(new DiskId(name.hashCode()), new HostId(1), "a", name, DiskKind.BLOCK, "/dev/" + name, "serial:" + name, null,
                null, null, DiskTransport.NVME, false, GIB, 512, 512, null, null,
                new DiskHealth(status, "smartctl", null, null, null, null, null), present, NOW, NOW);
    }

    private static PoolInfo pool(String name, PoolType type, long capacity, long allocated, @Nullable Long used) {
        int overcommit = type == PoolType.DIRECTORY ? 200 : 100;
        return new PoolInfo(new PoolId(name.hashCode()), new HostId(1), name, type,
                type == PoolType.DIRECTORY ? "/srv/" + name : null, List.of(), capacity, allocated, used, overcommit,
                capacity * overcommit / 100, 1, List.of(), type == PoolType.MEMORY, NOW);
    }

    private static SubsystemInfo subsystem(String nqn, ObservedState state, ObservedState listenerState) {
        return new SubsystemInfo(new SubsystemId(nqn.hashCode()), nqn, "serial", "Windrose", false, NOW, state, null,
                List.of(), List.of(new SubsystemInfo.ListenerInfo(1, 1, "tcp", "IPV4", "127.0.0.1", 4420,
                        AnaState.OPTIMIZED, listenerState,
                        null)), List.of(), null, null, java.util.List.of());
    }
}
