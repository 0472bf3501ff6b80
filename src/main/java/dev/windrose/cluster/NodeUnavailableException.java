package dev.windrose.cluster;

/** A change for a node that cannot take it now (offline, or not a member): nothing was written. */
public class NodeUnavailableException extends RuntimeException {

    public NodeUnavailableException(String message) {
        super(message);
    }
}
