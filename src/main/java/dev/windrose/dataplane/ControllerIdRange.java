package dev.windrose.dataplane;

/**
 * The controller IDs (CNTLIDs) a target hands out to new controllers (wr_target_set_cntlid_range).
 * Nodes that export the same subsystem need disjoint ranges: a host that reaches one subsystem through
 * two nodes must never meet two controllers with one CNTLID (Linux nvmet's cntlid_min/cntlid_max).
 * Controllers already connected keep theirs when the range changes; a Connect that finds the whole
 * range taken is refused.
 *
 * @param min 1 .. 0xFFEF
 * @param max min .. 0xFFEF
 */
public record ControllerIdRange(int min, int max) {

    /** The lowest controller ID (0 is reserved). */
    public static final int MIN = 1;
    /** The highest dynamic controller ID (0xFFF0 and above are reserved). */
    public static final int MAX = 0xFFEF;
    /** Every ID: right for a single node. */
    public static final ControllerIdRange ALL = new ControllerIdRange(MIN, MAX);

    public ControllerIdRange {
        if (min < MIN || max > MAX || min > max) {
            throw new IllegalArgumentException("a controller ID range is min..max within " + MIN + ".." + MAX
                    + " (0xFFEF) with min <= max, not " + min + ".." + max);
        }
    }

    /** How many controllers the range holds at once. */
    public int size() {
        return max - min + 1;
    }
}
