package dev.windrose.fabric.internal;

import dev.windrose.fabric.ObservedState;
import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Desired state with what the reconciler last observed of it: state, the error in words, since when. */
@MappedSuperclass
public abstract class ReconciledEntity {

    static final int MAX_ERROR = 1000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private ObservedState state = ObservedState.PENDING;

    @Column(name = "last_error", length = MAX_ERROR)
    private @Nullable String lastError;

    @Column(name = "observed_at")
    private @Nullable Instant observedAt;

    public long id() {
        if (id == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is not saved yet");
        }
        return id;
    }

    public ObservedState state() {
        return state;
    }

    public @Nullable String lastError() {
        return lastError;
    }

    /** Records an observation; returns false (and changes nothing) when it is the one already recorded. */
    public boolean observe(ObservedState newState, @Nullable String error, Instant now) {
        String clipped = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
        if (newState == state && java.util.Objects.equals(clipped, lastError)) {
            return false;
        }
        this.state = newState;
        this.lastError = clipped;
        this.observedAt = now;
        return true;
    }
}
