package dev.windrose.dataplane;

/**
 * What a mirrored namespace reports (windrose.h, {@code struct wr_mirror_status}).
 *
 * @param state in sync, degraded (the remote leg failed: writes go on locally and mark dirty regions) or
 *        resynchronising
 * @param lastError the remote leg's last failure: a negative errno, an NVMe status (> 0), 0 for none
 * @param dirtyRegions regions the remote leg is missing now
 * @param resyncDone regions copied by the running (or last) resync
 * @param resyncTotal regions that resync has had to copy so far (writes made while it reconnected add some)
 * @param degradedCount times the mirror went degraded
 * @param remoteIos I/Os the remote leg completed successfully
 * @param holding writes are held until {@link DataplaneTarget#releaseMirror} ({@link MirrorLeg#holdOnDegrade()})
 */
public record MirrorStatus(State state, int lastError, long regionBytes, long totalRegions, long dirtyRegions,
        long resyncDone, long resyncTotal, long degradedCount, long remoteIos, boolean holding) {

    /** enum wr_mirror_state. */
    public enum State {
        IN_SYNC(0), DEGRADED(1), RESYNCING(2);

        final int code;

        State(int code) {
            this.code = code;
        }

        static State of(int code) {
            for (State state : values()) {
                if (state.code == code) {
                    return state;
                }
            }
            throw new IllegalArgumentException("no mirror state has the code " + code);
        }
    }

    /** Resync progress as a fraction 0..1 (1 when nothing was to be copied). */
    public double resyncProgress() {
        return resyncTotal == 0 ? 1.0 : Math.min(1.0, (double) resyncDone / resyncTotal);
    }
}
