package dev.windrose.fabric.internal;

import dev.windrose.fabric.ObservedState;
import org.jspecify.annotations.Nullable;

/**
 * What the reconciler saw of one object; error says in words why it is not applied. A DRIFT observation
 * is a note on subsystem {@code id}: what the reconciler found different on the dataplane from what it
 * had applied, and repaired (or tried to), in {@code error}; it does not change any object's state.
 */
public record Observation(Kind kind, long id, ObservedState state, @Nullable String error) {

    public enum Kind { SUBSYSTEM, NAMESPACE, LISTENER, HOST, DRIFT }

    static Observation applied(Kind kind, long id) {
        return new Observation(kind, id, ObservedState.APPLIED, null);
    }

    static Observation failed(Kind kind, long id, String error) {
        return new Observation(kind, id, ObservedState.FAILED, error);
    }

    static Observation pending(Kind kind, long id, String reason) {
        return new Observation(kind, id, ObservedState.PENDING, reason);
    }

    static Observation drift(long subsystemId, String words) {
        return new Observation(Kind.DRIFT, subsystemId, ObservedState.APPLIED, words);
    }
}
