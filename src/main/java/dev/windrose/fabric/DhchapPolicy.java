package dev.windrose.fabric;

import dev.windrose.common.InvalidInputException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which hash functions and Diffie-Hellman groups a subsystem accepts in DH-HMAC-CHAP (issue 17); by default
 * every one the specification lists (NVMe base specification 2.0, 8.13.5.2). From what a host offers the
 * dataplane takes the strongest allowed.
 */
public record DhchapPolicy(List<Hash> hashes, List<DhGroup> dhGroups) {

    /** Hash functions with their identifiers in the specification. */
    public enum Hash {
        SHA256(1), SHA384(2), SHA512(3);

        final int id;

        Hash(int id) {
            this.id = id;
        }
    }

    /** DH groups with their identifiers; NULL means no Diffie-Hellman exchange (the challenge alone). */
    public enum DhGroup {
        NULL(0), FFDHE2048(1), FFDHE3072(2), FFDHE4096(3), FFDHE6144(4), FFDHE8192(5);

        final int id;

        DhGroup(int id) {
            this.id = id;
        }
    }

    public static final DhchapPolicy ALL = new DhchapPolicy(List.of(Hash.values()), List.of(DhGroup.values()));

    public DhchapPolicy {
        hashes = List.copyOf(EnumSet.copyOf(hashes.isEmpty() ? EnumSet.noneOf(Hash.class) : hashes));
        dhGroups = List.copyOf(dhGroups.isEmpty() ? EnumSet.noneOf(DhGroup.class) : EnumSet.copyOf(dhGroups));
    }

    /** A policy a host can meet: at least one hash and one group. */
    public static DhchapPolicy of(Set<Hash> hashes, Set<DhGroup> dhGroups) {
        if (hashes.isEmpty()) {
            throw new InvalidInputException("hashes", "Allow at least one hash function (SHA256, SHA384, SHA512): "
                    + "no host could authenticate otherwise.");
        }
        if (dhGroups.isEmpty()) {
            throw new InvalidInputException("dhGroups", "Allow at least one DH group (NULL, FFDHE2048 … FFDHE8192): "
                    + "no host could authenticate otherwise.");
        }
        return new DhchapPolicy(List.copyOf(hashes), List.copyOf(dhGroups));
    }

    /** The dataplane's mask: bit 1 << id of each hash. */
    public int hashMask() {
        return hashes.stream().mapToInt(h -> 1 << h.id).reduce(0, (a, b) -> a | b);
    }

    public int dhGroupMask() {
        return dhGroups.stream().mapToInt(g -> 1 << g.id).reduce(0, (a, b) -> a | b);
    }

    /** The policy stored as the dataplane's masks; unknown bits are ignored. */
    public static DhchapPolicy fromMasks(int hashMask, int dhGroupMask) {
        return new DhchapPolicy(Arrays.stream(Hash.values()).filter(h -> (hashMask & (1 << h.id)) != 0).toList(),
                Arrays.stream(DhGroup.values()).filter(g -> (dhGroupMask & (1 << g.id)) != 0).toList());
    }
}
