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
 * hosts that stopped beating, disks whose health is not good, pools running out of space, subsystems
 * the dataplane refused, and the capacity of all pools together. Fully allocated pools are a fact of
 * the capacity, not trouble: no new volume fits, but no write fails.
 *
 * @param nearFullPercent a pool whose thin volumes may claim more runs out of space once its written
 *                        data is at or above this share of its capacity
 */
record Health(int hostsOnline, List<HostInfo> hostsOffline, List<DiskInfo> disksWithWarnings,
        List<PoolInfo> poolsRunningOut, List<SubsystemInfo> subsystemsWithErrors, Capacity capacity,
        List<PoolInfo> poolsFullyAllocated, int nearFullPercent) {

    /** Every pool together: capacity, allocated to volumes, and used where pools can measure it. */
    record Capacity(int pools, long capacityBytes, long allocatedBytes, long usedBytes, int poolsWithoutUsage) {
    }

    static Health of(List<HostInfo> hosts, List<DiskInfo> disks, List<PoolInfo> pools, List<SubsystemInfo> subsystems,
            int nearFullPercent) {
        return new Health(
                (int) hosts.stream().filter(host -> host.state() == HostState.ONLINE).count(),
                hosts.stream().filter(host -> host.state() != HostState.ONLINE).toList(),
                disks.stream().filter(Health::needsAttention).toList(),
                pools.stream().filter(pool -> runningOut(pool, nearFullPercent)).toList(),
                subsystems.stream().filter(Health::hasErrors).toList(),
                capacity(pools),
                pools.stream().filter(PoolInfo::fullyAllocated).toList(),
                nearFullPercent);
    }

    boolean allWell() {
        return hostsOffline.isEmpty() && disksWithWarnings.isEmpty() && poolsRunningOut.isEmpty()
                && subsystemsWithErrors.isEmpty();
    }

    /** A present disk reporting a warning or failure; an unknown health is not a warning. */
    private static boolean needsAttention(DiskInfo disk) {
        return disk.present() && (disk.health().status() == HealthStatus.WARNING
                || disk.health().status() == HealthStatus.FAILING);
    }

    /** Thin volumes may claim more and the written data is at or above the share: writes may soon fail. */
    private static boolean runningOut(PoolInfo pool, int percent) {
        Double used = pool.usedPercent();
        return pool.mayRunOutOfSpace() && used != null && used >= percent;
    }

    /** What the pool's volumes have written, in whole percent of its capacity (0 when unmeasured). */
    static int usedPercent(PoolInfo pool) {
        Double used = pool.usedPercent();
        return used == null ? 0 : (int) Math.floor(used);
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
