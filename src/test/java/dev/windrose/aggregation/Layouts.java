package dev.windrose.aggregation;

import dev.windrose.inventory.HostId;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Proposals for the rule and planner tests: n members, each with the same drives unless changed. */
final class Layouts {

    static final long GIB = PlatformRules.GIB;
    static final PoolId POOL_A = new PoolId(1);
    static final PoolId POOL_B = new PoolId(2);
    static final Function<PoolId, Optional<PoolFacts>> TWO_HOSTS = id -> Optional.ofNullable(Map.of(
            POOL_A, new PoolFacts(POOL_A, "flash-a", new HostId(1), PoolType.DIRECTORY, 1L << 50),
            POOL_B, new PoolFacts(POOL_B, "flash-b", new HostId(2), PoolType.DIRECTORY, 1L << 50)).get(id));

    private Layouts() {
    }

    static ProposedMember member(int index, Platform platform, DriveGroup... drives) {
        return new ProposedMember("node" + index, platform.os(),
                "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-" + String.format("%012d", index),
                null, List.of(drives));
    }

    static DriveGroup capacity(int count, long size) {
        return new DriveGroup(DriveTier.CAPACITY, count, size, POOL_A);
    }

    static DriveGroup cache(int count, long size) {
        return new DriveGroup(DriveTier.CACHE, count, size, POOL_A);
    }

    /** n members, each with the given drives; members alternate between two storage hosts' pools. */
    static Proposal cluster(Platform platform, int members, DriveGroup... drives) {
        List<ProposedMember> list = new ArrayList<>();
        for (int i = 1; i <= members; i++) {
            PoolId pool = i % 2 == 0 ? POOL_B : POOL_A;
            List<DriveGroup> own = java.util.Arrays.stream(drives)
                    .map(d -> new DriveGroup(d.tier(), d.count(), d.sizeBytes(), pool)).toList();
            list.add(member(i, platform, own.toArray(DriveGroup[]::new)));
        }
        return new Proposal("lab", platform, list);
    }

    static Proposal withMember(Proposal proposal, int index, ProposedMember replacement) {
        List<ProposedMember> list = new ArrayList<>(proposal.members());
        list.set(index, replacement);
        return new Proposal(proposal.name(), proposal.platform(), list);
    }

    static List<Finding> check(Proposal proposal) {
        return PlatformRules.check(proposal, TWO_HOSTS);
    }

    static List<String> errors(Proposal proposal) {
        return check(proposal).stream().filter(Finding::blocking).map(Finding::rule).toList();
    }

    static List<String> warnings(Proposal proposal) {
        return check(proposal).stream().filter(f -> !f.blocking()).map(Finding::rule).toList();
    }
}
