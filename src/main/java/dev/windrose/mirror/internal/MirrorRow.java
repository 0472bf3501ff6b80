package dev.windrose.mirror.internal;

import dev.windrose.mirror.Leg;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One mirrored volume as the witness keeps it, with where its legs live (their volumes' nodes and files).
 *
 * @param observedResyncStartedAt when the resync the active node reports began (null when none runs)
 * @param leaseLeft how much of the active node's lease is left by the database's clock (negative once run
 *        out; null when there is none)
 */
public record MirrorRow(long id, String name, long sizeBytes, Leg active, long generation, long legAGeneration,
        long legBGeneration, long legAVolume, long legBVolume, long legANode, long legBNode,
        @Nullable String legAPath, @Nullable String legBPath, @Nullable Long leaseLeftMillis,
        @Nullable String observedState, @Nullable Long observedDirtyBytes, @Nullable Long observedResyncDone,
        @Nullable Long observedResyncTotal, @Nullable Instant observedAt, @Nullable Instant observedResyncStartedAt,
        @Nullable Instant lastFailoverAt,
        @Nullable Long lastFailoverMillis, @Nullable String lastFailoverReason) {

    public long volume(Leg leg) {
        return leg == Leg.A ? legAVolume : legBVolume;
    }

    public long node(Leg leg) {
        return leg == Leg.A ? legANode : legBNode;
    }

    public @Nullable String path(Leg leg) {
        return leg == Leg.A ? legAPath : legBPath;
    }

    public long generation(Leg leg) {
        return leg == Leg.A ? legAGeneration : legBGeneration;
    }

    /** Holds every acknowledged write: only such a leg may become active. */
    public boolean current(Leg leg) {
        return generation(leg) == generation;
    }

    /** The leg whose volume lives on that node, or null. */
    public @Nullable Leg legOn(long node) {
        return legANode == node ? Leg.A : legBNode == node ? Leg.B : null;
    }

    /**
     * How long the running resync still needs at the pace it has kept so far; null when none runs or it has not
     * copied anything yet (no pace to go by).
     */
    public @Nullable Duration resyncTimeLeft() {
        if (!"RESYNCING".equals(observedState) || observedResyncStartedAt == null || observedAt == null
                || observedResyncDone == null || observedResyncTotal == null || observedResyncDone <= 0) {
            return null;
        }
        long elapsedMillis = Duration.between(observedResyncStartedAt, observedAt).toMillis();
        long left = Math.max(0, observedResyncTotal - observedResyncDone);
        return elapsedMillis <= 0 ? null : Duration.ofMillis(Math.round((double) elapsedMillis * left / observedResyncDone));
    }

    public boolean leaseRunOut() {
        return leaseLeftMillis == null || leaseLeftMillis < 0;
    }
}
