package dev.windrose.fabric.internal;

import dev.windrose.fabric.ObservedState;
import org.jspecify.annotations.Nullable;

/** What the reconciler saw of one object; error says in words why it is not applied. */
public record Observation(Kind kind, long id, ObservedState state, @Nullable String error) {

    public enum Kind { SUBSYSTEM, NAMESPACE, LISTENER, HOST }

    static Observation applied(Kind kind, long id) {
        return new Observation(kind, id, ObservedState.APPLIED, null);
    }

    static Observation failed(Kind kind, long id, String error) {
        return new Observation(kind, id, ObservedState.FAILED, error);
    }

    static Observation pending(Kind kind, long id, String reason) {
        return new Observation(kind, id, ObservedState.PENDING, reason);
    }
}
