package dev.windrose.aggregation;

import dev.windrose.aggregation.Finding.Severity;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a proposed aggregation against the published requirements of its platform before anything is
 * created. Each rule cites where the platform states it; where the platform only recommends, the finding
 * is a warning. Pure: the pools are looked up through a function, so the rules can be tested alone.
 */
public final class PlatformRules {

    public static final long GIB = 1024L * 1024 * 1024;
    public static final long MIB = 1024L * 1024;

    /**
     * Windrose's own floor, not a platform's: neither Microsoft's S2D hardware requirements nor VMware's vSAN
     * planning pages that were checked state a minimum drive size, and a namespace below 1 GiB is of no use
     * to either platform (S2D alone reserves space per drive for its metadata).
     */
    public static final long MIN_DRIVE_BYTES = GIB;

    static final String WINDROSE = "Windrose";
    static final String S2D_HARDWARE =
            "https://learn.microsoft.com/windows-server/storage/storage-spaces/storage-spaces-direct-hardware-requirements";
    static final String S2D_SYMMETRY =
            "https://learn.microsoft.com/windows-server/storage/storage-spaces/drive-symmetry-considerations";
    static final String VSAN_PLANNING_HOSTS =
            "https://docs.vmware.com/en/VMware-vSphere/8.0/vsan-planning/GUID-07EFD36A-F844-4E7D-830D-3863E4AA617C.html";
    static final String VSAN_DISK_GROUPS =
            "https://docs.vmware.com/en/VMware-vSphere/7.0/com.vmware.vsphere.vsan-planning.doc/GUID-CA702073-1E5A-4EC0-8E27-34976BC07B8B.html";
    static final String VSAN_CLAIM_DEVICES =
            "https://docs.vmware.com/en/VMware-vSphere/8.0/vsan-administration/GUID-88790522-2FA0-476F-B874-6FE4E8E5B908.html";
    /** Duncan Epping (VMware), "vSAN Express Storage Architecture cluster sizes supported?", 2022-12-20. */
    static final String VSAN_CLUSTER_SIZES = "https://www.yellow-bricks.com/tag/vmware/page/10/";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private PlatformRules() {
    }

    /** Every finding, errors first; {@code pools} answers empty for a pool that does not exist. */
    public static List<Finding> check(Proposal proposal, Function<PoolId, Optional<PoolFacts>> pools) {
        List<Finding> findings = new ArrayList<>();
        common(proposal, findings);
        pools(proposal, pools, findings);
        switch (proposal.platform()) {
            case S2D -> s2d(proposal, findings);
            case VSAN_OSA -> {
                vsan(proposal, findings);
                vsanOsa(proposal, findings);
            }
            case VSAN_ESA -> {
                vsan(proposal, findings);
                vsanEsa(proposal, findings);
            }
        }
        findings.sort((a, b) -> a.severity().compareTo(b.severity()));
        return List.copyOf(findings);
    }

    public static boolean blocks(List<Finding> findings) {
        return findings.stream().anyMatch(Finding::blocking);
    }

    // ---- every platform -------------------------------------------------------------------------------

    private static void common(Proposal proposal, List<Finding> findings) {
        if (!NAME.matcher(proposal.name()).matches()) {
            error(findings, "name", "An aggregation's name has 1 to 32 characters: lower-case letters, digits or '-', "
                    + "starting with a letter or digit ('" + proposal.name() + "' is not one). It becomes part of NQNs "
                    + "and volume names.", WINDROSE);
        }
        Set<String> names = new HashSet<>();
        Set<String> nqns = new HashSet<>();
        for (ProposedMember member : proposal.members()) {
            if (!NAME.matcher(member.name()).matches()) {
                error(findings, "member.name", "Member name '" + member.name() + "' is not usable: 1 to 32 lower-case "
                        + "letters, digits or '-', starting with a letter or digit.", WINDROSE);
            }
            if (!names.add(member.name())) {
                error(findings, "member.unique-name", "Two members are named '" + member.name() + "'.", WINDROSE);
            }
            // One host NQN on two members would let each see the other's drives: the isolation is gone.
            if (!nqns.add(member.hostNqn().toLowerCase(Locale.ROOT))) {
                error(findings, "member.unique-host-nqn", "Two members use the host NQN " + member.hostNqn()
                        + ": each member needs its own, or it would see the other's drives.", WINDROSE);
            }
            if (member.os() != proposal.platform().os()) {
                warn(findings, "member.os", member.name() + " runs " + member.os().label() + ", but "
                        + proposal.platform().label() + " members run " + proposal.platform().os().label()
                        + ": fine for a lab that only tests the storage path, not for a real cluster.", WINDROSE);
            }
            drives(member, findings);
        }
    }

    private static void drives(ProposedMember member, List<Finding> findings) {
        if (member.drives().isEmpty() || member.count(DriveTier.CAPACITY) + member.count(DriveTier.CACHE) == 0) {
            error(findings, "member.drives", member.name() + " has no drives.", WINDROSE);
        }
        for (DriveGroup group : member.drives()) {
            if (group.count() < 0 || group.count() > 64) {
                error(findings, "drive.count", member.name() + ": a drive group has 0 to 64 drives, not "
                        + group.count() + ".", WINDROSE);
            }
            if (group.sizeBytes() < MIN_DRIVE_BYTES) {
                error(findings, "drive.min-size", member.name() + ": drives of " + human(group.sizeBytes())
                        + " are too small; Windrose presents drives of at least 1 GiB (no platform publishes a "
                        + "smaller useful size).", WINDROSE);
            } else if (group.sizeBytes() % MIB != 0) {
                error(findings, "drive.size-unit", member.name() + ": a drive's size is a whole number of MiB; "
                        + group.sizeBytes() + " bytes is not.", WINDROSE);
            }
        }
    }

    /** Every pool must exist and have room; all on one host is a single point of failure. */
    private static void pools(Proposal proposal, Function<PoolId, Optional<PoolFacts>> lookup, List<Finding> findings) {
        Map<PoolId, Long> asked = new HashMap<>();
        Map<PoolId, PoolFacts> known = new HashMap<>();
        for (ProposedMember member : proposal.members()) {
            for (DriveGroup group : member.drives()) {
                Optional<PoolFacts> pool = lookup.apply(group.pool());
                if (pool.isEmpty()) {
                    error(findings, "pool.exists", member.name() + ": there is no pool with id " + group.pool() + ".",
                            WINDROSE);
                    continue;
                }
                known.put(group.pool(), pool.get());
                asked.merge(group.pool(), Math.max(0, group.totalBytes()), Long::sum);
            }
        }
        for (PoolFacts pool : known.values()) {
            if (pool.type() == PoolType.DISK) {
                // The fabric serves a disk-pool volume straight from its extent, and refuses one split over several.
                warn(findings, "pool.disk-extents", "Pool " + pool.name() + " is a disk pool: each drive is served "
                        + "from one extent of its disks, so a drive that only fits split over several extents is "
                        + "refused when the aggregation is created (and nothing is made).", WINDROSE);
            }
            if (pool.type() == PoolType.MEMORY) {
                warn(findings, "pool.volatile", "Pool " + pool.name() + " keeps its data in memory: the members' drives "
                        + "are empty again after every restart of Windrose. Use it for labs only.", WINDROSE);
            }
            long wanted = asked.getOrDefault(pool.id(), 0L);
            if (wanted > pool.allocatableBytes()) {
                error(findings, "pool.space", "Pool " + pool.name() + " can give " + human(pool.allocatableBytes())
                        + " more, but this layout asks it for " + human(wanted) + ".", WINDROSE);
            }
        }
        long hosts = known.values().stream().map(PoolFacts::host).distinct().count();
        if (hosts == 1 && proposal.members().size() > 1) {
            warn(findings, "placement.one-host", "All members' drives come from pools of one storage host: if it fails, "
                    + "every member loses its drives at once and the cluster's own resiliency cannot help. Spread the "
                    + "members over pools of different hosts when you can.", WINDROSE);
        }
    }

    // ---- Storage Spaces Direct ---------------------------------------------------------------------------

    private static void s2d(Proposal proposal, List<Finding> findings) {
        int servers = proposal.members().size();
        // "Minimum of 2 servers, maximum of 16 servers" (S2D hardware requirements, Servers).
        if (servers < 2 || servers > 16) {
            error(findings, "s2d.servers", "Storage Spaces Direct needs 2 to 16 servers; this cluster has " + servers
                    + ".", S2D_HARDWARE);
        }
        for (ProposedMember member : proposal.members()) {
            int capacity = member.count(DriveTier.CAPACITY);
            int cache = member.count(DriveTier.CACHE);
            // "There must be at least 4 capacity (non-cache) drives per server" (Minimum number of drives).
            if (capacity < 4) {
                error(findings, "s2d.capacity-drives", member.name() + " has " + capacity + " capacity drive"
                        + (capacity == 1 ? "" : "s") + "; Storage Spaces Direct needs at least 4 per server.",
                        S2D_HARDWARE);
            }
            // "If there are drives used as cache, there must be at least 2 per server."
            if (cache == 1) {
                error(findings, "s2d.cache-drives", member.name() + " has 1 cache drive; with a cache, Storage Spaces "
                        + "Direct needs at least 2 per server (or none: all drives of one kind need no cache).",
                        S2D_HARDWARE);
            }
            // "Recommended: Add capacity drives in multiples of the number of NVMe or SSD cache devices."
            if (cache >= 2 && capacity % cache != 0) {
                warn(findings, "s2d.cache-ratio", member.name() + " has " + capacity + " capacity drives for " + cache
                        + " cache drives; Microsoft recommends a whole multiple so each cache drive binds the same "
                        + "number of capacity drives.", S2D_HARDWARE);
            }
            // "We recommend using drives of the same model, size, and firmware version whenever possible."
            if (member.sizes(DriveTier.CAPACITY).size() > 1) {
                warn(findings, "s2d.mixed-sizes", member.name() + " mixes capacity drives of different sizes; "
                        + "Microsoft recommends one size.", S2D_SYMMETRY);
            }
        }
        // "Every server in the cluster should have the same types of drives and the same number of each type."
        symmetry(proposal, Severity.ERROR, "s2d.symmetry", S2D_SYMMETRY, findings);
        // "Maximum of 1 petabyte (1,000 TB) of raw capacity per storage pool."
        long raw = proposal.members().stream().mapToLong(m -> m.bytes(DriveTier.CAPACITY) + m.bytes(DriveTier.CACHE)).sum();
        if (raw > 1_000_000_000_000_000L) {
            error(findings, "s2d.pool-maximum", "The cluster's drives hold " + human(raw) + "; a Storage Spaces Direct "
                    + "pool holds at most 1 PB (1,000 TB) of raw capacity.", S2D_HARDWARE);
        }
        // Host-bus adapter: "Not Supported: RAID HBA controllers or SAN (Fibre Channel, iSCSI, FCoE) devices."
        warn(findings, "s2d.fabric-drives", "Microsoft's hardware requirements list SAN devices (Fibre Channel, iSCSI, "
                + "FCoE) as not supported for Storage Spaces Direct and say nothing of NVMe over Fabrics: the members "
                + "see these namespaces as NVMe drives, but check support for your deployment.", S2D_HARDWARE);
    }

    // ---- vSAN, both architectures -------------------------------------------------------------------------

    private static void vsan(Proposal proposal, List<Finding> findings) {
        int hosts = proposal.members().size();
        // A standard cluster has at least three hosts; a two-node cluster needs a witness host outside it;
        // 64 hosts is the maximum (vSAN planning, and the same sizes for ESA as for OSA).
        if (hosts < 2 || hosts > 64) {
            error(findings, "vsan.hosts", "A vSAN cluster has 3 to 64 hosts (or 2 with a witness); this one has "
                    + hosts + ".", VSAN_CLUSTER_SIZES);
        } else if (hosts == 2) {
            warn(findings, "vsan.two-node", "A two-node vSAN cluster needs a witness host outside the cluster; "
                    + "Windrose does not provide it.", VSAN_CLUSTER_SIZES);
        }
        // "Use hosts that have uniform configuration for best performance of vSAN": recommended, not required.
        symmetry(proposal, Severity.WARNING, "vsan.symmetry", VSAN_DISK_GROUPS, findings);
        // "The storage devices are local to the ESXi hosts. vSAN cannot claim remote devices."
        warn(findings, "vsan.remote-devices", "VMware documents that vSAN claims local devices only: each member must "
                + "see these NVMe-oF namespaces as claimable local NVMe devices, which depends on the ESXi version and "
                + "its NVMe/TCP adapter. Check that vSAN offers them in 'Claim disks' before you rely on it.",
                VSAN_DISK_GROUPS);
    }

    private static void vsanOsa(Proposal proposal, List<Finding> findings) {
        for (ProposedMember member : proposal.members()) {
            int cache = member.count(DriveTier.CACHE);
            int capacity = member.count(DriveTier.CAPACITY);
            // "Each disk group provides one flash caching device and at least one ... flash capacity device."
            if (cache < 1) {
                error(findings, "osa.cache-tier", member.name() + " has no cache drive; every vSAN OSA disk group has "
                        + "exactly one cache device, so each host needs at least one.", VSAN_DISK_GROUPS);
                continue;
            }
            // "5 disk groups per host and 7 capacity devices per disk group" (memory sizing of OSA hosts).
            if (cache > 5) {
                error(findings, "osa.disk-groups", member.name() + " has " + cache + " cache drives, which would make "
                        + cache + " disk groups; vSAN OSA allows at most 5 per host.", VSAN_PLANNING_HOSTS);
            }
            if (capacity < cache) {
                error(findings, "osa.capacity-per-group", member.name() + " has " + capacity + " capacity drives for "
                        + cache + " disk groups; each disk group needs at least one capacity device.", VSAN_DISK_GROUPS);
            } else if (capacity > 7L * cache) {
                error(findings, "osa.capacity-per-group", member.name() + " has " + capacity + " capacity drives for "
                        + cache + " disk group" + (cache == 1 ? "" : "s") + "; a disk group holds at most 7 capacity "
                        + "devices. Add cache drives or remove capacity drives.", VSAN_PLANNING_HOSTS);
            }
            // Hybrid groups: the cache device "must provide at least 10 percent of the anticipated storage consumed
            // on the capacity devices". All-flash sizing differs, so this is only a warning.
            long cacheBytes = member.bytes(DriveTier.CACHE);
            if (cacheBytes * 10 < member.bytes(DriveTier.CAPACITY)) {
                warn(findings, "osa.cache-size", member.name() + " has " + human(cacheBytes) + " of cache for "
                        + human(member.bytes(DriveTier.CAPACITY)) + " of capacity, less than the 10% VMware gives "
                        + "as the minimum for hybrid disk groups.", VSAN_DISK_GROUPS);
            }
        }
    }

    private static void vsanEsa(Proposal proposal, List<Finding> findings) {
        for (ProposedMember member : proposal.members()) {
            // "Each host that contributes storage contains a single storage pool of one or more flash devices.
            // Each flash device provides caching and capacity": there is no cache tier.
            if (member.count(DriveTier.CACHE) > 0) {
                error(findings, "esa.no-cache-tier", member.name() + " has cache drives, but vSAN ESA has a single "
                        + "tier: every device gives both cache and capacity. Make them capacity drives.",
                        VSAN_CLAIM_DEVICES);
            }
            if (member.count(DriveTier.CAPACITY) < 1) {
                error(findings, "esa.devices", member.name() + " has no storage device; a vSAN ESA host's storage "
                        + "pool has at least one.", VSAN_CLAIM_DEVICES);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** Same number of drives per tier on every member, and the same size. */
    private static void symmetry(Proposal proposal, Severity severity, String rule, String source,
            List<Finding> findings) {
        if (proposal.members().size() < 2) {
            return;
        }
        for (DriveTier tier : DriveTier.values()) {
            ProposedMember first = proposal.members().getFirst();
            for (ProposedMember other : proposal.members().subList(1, proposal.members().size())) {
                if (other.count(tier) != first.count(tier)) {
                    add(findings, severity, rule, first.name() + " has " + first.count(tier) + " "
                            + tier.name().toLowerCase(Locale.ROOT) + " drives and " + other.name() + " has "
                            + other.count(tier) + ": every member needs the same number of each kind.", source);
                } else if (!other.sizes(tier).equals(first.sizes(tier))) {
                    add(findings, severity, rule, first.name() + "'s " + tier.name().toLowerCase(Locale.ROOT)
                            + " drives are " + sizes(first.sizes(tier)) + " and " + other.name() + "'s are "
                            + sizes(other.sizes(tier)) + ": every member needs drives of the same size.", source);
                }
            }
        }
    }

    private static String sizes(List<Long> sizes) {
        return sizes.stream().map(PlatformRules::human).reduce((a, b) -> a + " and " + b).orElse("none");
    }

    /** Sizes as people read them: whole GiB when exact, otherwise MiB. */
    public static String human(long bytes) {
        if (bytes >= GIB && bytes % GIB == 0) {
            return bytes / GIB + " GiB";
        }
        if (bytes >= MIB && bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        return bytes + " bytes";
    }

    static void error(List<Finding> findings, String rule, String message, String source) {
        add(findings, Severity.ERROR, rule, message, source);
    }

    static void warn(List<Finding> findings, String rule, String message, String source) {
        add(findings, Severity.WARNING, rule, message, source);
    }

    private static void add(List<Finding> findings, Severity severity, String rule, String message, String source) {
        findings.add(new Finding(severity, rule, message, source));
    }
}
