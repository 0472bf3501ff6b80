package dev.windrose.overview.ui;

import dev.windrose.fabric.ObservedState;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.HealthStatus;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostState;
import dev.windrose.storage.PoolInfo;
import java.util.List;
import java.util.stream.Stream;

/**
 * What needs attention, worked out from the inventory, storage and fabric listings at one moment:
 * hosts that stopped beating, disks whose health is not good, pools near full, subsystems the
 * dataplane refused, and the capacity of all pools together.
 *
 * @param nearFullPercent a pool at or above this share of its capacity in use is near full
 */
record Health(int hostsOnline, List<HostInfo> hostsOffline, List<DiskInfo> disksWithWarnings,
        List<PoolInfo> poolsNearFull, List<SubsystemInfo> subsystemsWithErrors, Capacity capacity,
        int nearFullPercent) {

    /** Every pool together: capacity, allocated to volumes, and used where pools can measure it. */
    record Capacity(int pools, long capacityBytes, long allocatedBytes, long usedBytes, int poolsWithoutUsage) {
    }

    static Health of(List<HostInfo> hosts, List<DiskInfo> disks, List<PoolInfo> pools, List<SubsystemInfo> subsystems,
            int nearFullPercent) {
        return new Health(
                (int) hosts.stream().filter(host -> host.state() == HostState.ONLINE).count(),
                hosts.stream().filter(host -> host.state() != HostState.ONLINE).toList(),
                disks.stream().filter(Health::needsAttention).toList(),
                pools.stream().filter(pool -> usedPercent(pool) >= nearFullPercent).toList(),
                subsystems.stream().filter(Health::hasErrors).toList(),
                capacity(pools),
                nearFullPercent);
    }

    boolean allWell() {
        return hostsOffline.isEmpty() && disksWithWarnings.isEmpty() && poolsNearFull.isEmpty()
                && subsystemsWithErrors.isEmpty();
    }

    /** A present disk reporting a warning or failure; an unknown health is not a warning. */
    private static boolean needsAttention(DiskInfo disk) {
        return disk.present() && (disk.health().status() == HealthStatus.WARNING
                || disk.health().status() == HealthStatus.FAILING);
    }

    /**
     * How full a pool is: what its volumes really take where it can be measured, else what is
     * allocated to them (a thick pool's allocation is its use).
     */
    static int usedPercent(PoolInfo pool) {
        if (pool.capacityBytes() <= 0) {
            return 0;
        }
        long used = pool.usedBytes() != null ? pool.usedBytes() : pool.allocatedBytes();
        return (int) Math.min(100L * 10, used * 100 / pool.capacityBytes());
    }

    /** The subsystem itself, or any namespace, listener or allowed host of it, was refused. */
    private static boolean hasErrors(SubsystemInfo subsystem) {
        return Stream.of(Stream.of(subsystem.state()),
                        subsystem.namespaces().stream().map(SubsystemInfo.NamespaceInfo::state),
                        subsystem.listeners().stream().map(SubsystemInfo.ListenerInfo::state),
                        subsystem.allowedHosts().stream().map(SubsystemInfo.AllowedHost::state))
                .flatMap(states -> states)
                .anyMatch(state -> state == ObservedState.FAILED);
    }

    private static Capacity capacity(List<PoolInfo> pools) {
        long capacity = 0;
        long allocated = 0;
        long used = 0;
        int withoutUsage = 0;
        for (PoolInfo pool : pools) {
            capacity += pool.capacityBytes();
            allocated += pool.allocatedBytes();
            if (pool.usedBytes() == null) {
                withoutUsage++;
            } else {
                used += pool.usedBytes();
            }
        }
        return new Capacity(pools.size(), capacity, allocated, used, withoutUsage);
    }
}
