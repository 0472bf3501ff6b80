package dev.windrose.cluster.internal;

import dev.windrose.dataplane.ControllerIdRange;
import java.util.Collection;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * Each node's slice of the NVMe controller IDs: slot s hands out s*1024+1 .. s*1024+1023, so nodes that
 * export one subsystem never give one host two controllers with one CNTLID. 63 slots fit below 0xFFEF
 * (the highest CNTLID a controller may have); more nodes than that are far beyond a small shop's cluster.
 */
final class ControllerIds {

    static final int SLOT_SIZE = 1024;
    static final int SLOTS = (ControllerIdRange.MAX + 1) / SLOT_SIZE;

    private ControllerIds() {
    }

    static ControllerIdRange of(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("controller-ID slot " + slot + " is outside 0.." + (SLOTS - 1));
        }
        return new ControllerIdRange(slot * SLOT_SIZE + 1, slot * SLOT_SIZE + SLOT_SIZE - 1);
    }

    /** The lowest slot no node has, if any is left. */
    static OptionalInt free(Collection<Integer> taken) {
        return IntStream.range(0, SLOTS).filter(slot -> !taken.contains(slot)).findFirst();
    }
}
