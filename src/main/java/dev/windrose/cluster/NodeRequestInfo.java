package dev.windrose.cluster;

import dev.windrose.inventory.HostId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A change asked of another node and what became of it.
 *
 * @param result what the node answered (JSON), when DONE
 * @param errorStatus the HTTP status the node's refusal maps to, when FAILED
 */
public record NodeRequestInfo(long id, HostId node, String nodeName, String kind, String actor, State state,
        @Nullable String result, @Nullable Integer errorStatus, @Nullable String errorField,
        @Nullable String errorDetail, Instant createdAt, Instant expiresAt, @Nullable Instant finishedAt) {

    public enum State {
        /** Written; the node has not carried it out yet. */
        PENDING,
        /** Carried out; {@code result} is the answer. */
        DONE,
        /** Refused or failed on the node; nothing was changed. */
        FAILED,
        /** The node did not get to it in time; it never will (nothing was changed). */
        EXPIRED
    }
}
