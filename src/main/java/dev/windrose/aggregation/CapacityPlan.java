package dev.windrose.aggregation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Raw and usable capacity of a proposed layout for each resiliency option of its platform.
 *
 * @param rawBytes the capacity tier of every member together (cache drives hold no data of their own)
 * @param cacheBytes the cache tier of every member together
 */
public record CapacityPlan(long rawBytes, long cacheBytes, List<Option> options, List<String> notes) {

    /**
     * One resiliency option.
     *
     * @param efficiency the share of raw capacity that holds data, e.g. 0.5 for a two-way mirror
     * @param layout how the platform lays data out at this size, e.g. "RS 4+2"
     * @param reserveBytes raw capacity the platform recommends to keep free (for repairs)
     * @param usableBytes what can be stored with this option after the reserve; 0 when not available
     * @param unavailableBecause why the option cannot be used with this many members; null when it can
     */
    public record Option(String name, int failuresTolerated, String layout, double efficiency, long reserveBytes,
            long usableBytes, @Nullable String unavailableBecause) {

        public boolean available() {
            return unavailableBecause == null;
        }
    }
}
