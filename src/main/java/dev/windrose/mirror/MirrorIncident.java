package dev.windrose.mirror;

/**
 * Published (as a Spring application event) when a mirrored volume loses or regains its redundancy, for the
 * console's events: a leg was lost (the active node runs alone), a node took over, or the partner is current
 * again (the event clears).
 *
 * @param message what happened, in words, for the event
 */
public record MirrorIncident(long mirrorId, String mirrorName, Kind kind, String message) {

    public enum Kind {
        LEG_LOST, FAILOVER, BACK_IN_SYNC
    }
}
