package dev.windrose.aggregation;

import dev.windrose.aggregation.CapacityPlan.Option;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Usable capacity of a proposed layout per resiliency option, as each platform documents it. The capacity
 * tier counts; cache drives hold copies only. Usable = (raw - recommended reserve) x efficiency, rounded down
 * to whole bytes.
 */
public final class CapacityPlanner {

    static final String S2D_FAULT_TOLERANCE =
            "https://learn.microsoft.com/windows-server/storage/storage-spaces/storage-spaces-fault-tolerance";
    static final String S2D_PLAN_VOLUMES =
            "https://learn.microsoft.com/windows-server/storage/storage-spaces/plan-volumes";
    static final String VSAN_RAID_5_6 =
            "https://docs.vmware.com/en/VMware-vSphere/8.0/vsan-administration/GUID-AD408FA8-5898-4541-9F82-FE72E6CD6227.html";
    static final String VSAN_ADAPTIVE_RAID_5 =
            "https://www.yellow-bricks.com/2022/11/15/vsan-8-0-esa-introducing-adaptive-raid-5/";
    static final String VSAN_RESERVED_CAPACITY =
            "https://docs.vmware.com/en/VMware-vSphere/7.0/com.vmware.vsphere.vsan-monitoring.doc/GUID-CD510EAE-1A9F-45D2-BB66-E893C8AAF20A.html";

    private CapacityPlanner() {
    }

    public static CapacityPlan plan(Proposal proposal) {
        long raw = proposal.members().stream().mapToLong(m -> m.bytes(DriveTier.CAPACITY)).sum();
        long cache = proposal.members().stream().mapToLong(m -> m.bytes(DriveTier.CACHE)).sum();
        int members = proposal.members().size();
        return switch (proposal.platform()) {
            case S2D -> s2d(proposal, raw, cache, members);
            case VSAN_OSA, VSAN_ESA -> vsan(proposal, raw, cache, members);
        };
    }

    // ---- Storage Spaces Direct ---------------------------------------------------------------------------

    private static CapacityPlan s2d(Proposal proposal, long raw, long cache, int servers) {
        // Plan volumes: "We recommend reserving the equivalent of one capacity drive per server, up to 4 drives."
        long largestDrive = proposal.members().stream().mapToLong(m -> m.largest(DriveTier.CAPACITY)).max().orElse(0);
        long reserve = Math.min(servers, 4) * largestDrive;
        List<Option> options = new ArrayList<>();
        // Fault tolerance: two-way mirror 50% with at least 2 servers; three-way mirror 33.3% with at least 3.
        options.add(option("Two-way mirror", 1, "2 copies", 1, 2, servers >= 2, "needs at least 2 servers",
                raw, reserve));
        options.add(option("Three-way mirror", 2, "3 copies", 1, 3, servers >= 3, "needs at least 3 servers",
                raw, reserve));
        // Dual parity, all-flash table (these namespaces are flash): RS 2+2 at 4-6 servers, RS 4+2 at 7-8,
        // RS 6+2 at 9-15, LRC (12, 2, 1) at 16.
        int[] dualParity = s2dDualParity(servers);
        options.add(option("Dual parity", 2, dualParity == null ? "-" : layoutName(dualParity),
                dualParity == null ? 0 : dualParity[0], dualParity == null ? 1 : dualParity[1], dualParity != null,
                "needs at least 4 servers", raw, reserve));
        List<String> notes = new ArrayList<>();
        notes.add("Reserve: one capacity drive per server, up to 4 drives (" + PlatformRules.human(reserve)
                + "), kept free so a failed drive can be repaired in place. Source: " + S2D_PLAN_VOLUMES);
        notes.add("Efficiencies as published for all-flash deployments. Source: " + S2D_FAULT_TOLERANCE);
        if (servers > 2) {
            notes.add("Microsoft recommends three-way mirror rather than two-way mirror with more than two servers.");
        }
        return new CapacityPlan(raw, cache, options, notes);
    }

    /** {data symbols, total symbols} of dual parity at this many servers, or null below 4. */
    static int @Nullable [] s2dDualParity(int servers) {
        if (servers < 4) {
            return null;
        }
        if (servers <= 6) {
            return new int[] {2, 4};
        }
        if (servers <= 8) {
            return new int[] {4, 6};
        }
        if (servers <= 15) {
            return new int[] {6, 8};
        }
        // LRC (12, 2, 1): 12 data symbols in two local groups, one local parity each, one global: 12 of 15.
        return new int[] {12, 15};
    }

    private static String layoutName(int[] symbols) {
        return symbols[1] == 15 ? "LRC (12, 2, 1)" : "RS " + symbols[0] + "+" + (symbols[1] - symbols[0]);
    }

    // ---- vSAN ---------------------------------------------------------------------------------------------

    private static CapacityPlan vsan(Proposal proposal, long raw, long cache, int hosts) {
        boolean esa = proposal.platform() == Platform.VSAN_ESA;
        // Reserved capacity (vSAN 7 U1 and later): the host rebuild reserve "matches the total capacity of the
        // largest host in the cluster"; the operations reserve vSAN sizes itself and is not modelled here.
        long largestHost = proposal.members().stream().mapToLong(m -> m.bytes(DriveTier.CAPACITY)).max().orElse(0);
        long reserve = hosts >= 3 ? largestHost : 0;
        List<Option> options = new ArrayList<>();
        // RAID-1: FTT=n keeps n+1 copies on 2n+1 hosts (FTT=1: 3 hosts, or 2 with a witness; FTT=2: 5 hosts).
        options.add(option("RAID-1 (FTT=1)", 1, "2 copies", 1, 2, hosts >= 2,
                "needs at least 3 hosts (2 with a witness)", raw, reserve));
        options.add(option("RAID-1 (FTT=2)", 2, "3 copies", 1, 3, hosts >= 5, "needs at least 5 hosts", raw, reserve));
        if (esa) {
            // ESA adaptive RAID-5: 2+1 on 3 to 5 hosts, 4+1 from 6 hosts.
            boolean wide = hosts >= 6;
            options.add(option("RAID-5 (FTT=1)", 1, wide ? "4+1" : "2+1", wide ? 4 : 2, wide ? 5 : 3, hosts >= 3,
                    "needs at least 3 hosts", raw, reserve));
        } else {
            // OSA: RAID-5 is 3+1 and needs four fault domains (1.33x the data).
            options.add(option("RAID-5 (FTT=1)", 1, "3+1", 3, 4, hosts >= 4, "needs at least 4 hosts", raw, reserve));
        }
        // RAID-6 is 4+2 on both architectures and needs six fault domains (1.5x the data).
        options.add(option("RAID-6 (FTT=2)", 2, "4+2", 4, 6, hosts >= 6, "needs at least 6 hosts", raw, reserve));
        List<String> notes = new ArrayList<>();
        notes.add("Reserve: the host rebuild reserve, the capacity of the largest host (" + PlatformRules.human(reserve)
                + "), so vSAN can rebuild after a host fails" + (hosts < 3 ? " (none in a two-node cluster)" : "")
                + "; vSAN adds its own operations reserve, which it sizes itself. Source: " + VSAN_RESERVED_CAPACITY);
        notes.add(esa ? "ESA uses adaptive RAID-5: 2+1 on 3-5 hosts, 4+1 from 6 hosts. Source: " + VSAN_ADAPTIVE_RAID_5
                : "OSA erasure coding needs an all-flash cluster: RAID-5 3+1 from 4 hosts, RAID-6 4+2 from 6. Source: "
                        + VSAN_RAID_5_6);
        if (!esa) {
            notes.add("Cache drives do not add capacity: " + PlatformRules.human(cache) + " of cache is not counted.");
        }
        return new CapacityPlan(raw, cache, options, notes);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** An option storing {@code data} symbols in {@code total}: efficiency data/total. */
    private static Option option(String name, int failures, String layout, int data, int total, boolean available,
            String why, long raw, long reserve) {
        double efficiency = available ? (double) data / total : 0;
        long usable = available ? Math.max(0, raw - reserve) / total * data
                + Math.max(0, raw - reserve) % total * data / total : 0;
        return new Option(name, failures, layout, efficiency, available ? reserve : 0, usable, available ? null : why);
    }
}
