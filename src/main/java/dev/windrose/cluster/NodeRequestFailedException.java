package dev.windrose.cluster;

/** Another node tried the change and failed for a reason of its own (not a refusal of the input). */
public class NodeRequestFailedException extends RuntimeException {

    public NodeRequestFailedException(String message) {
        super(message);
    }
}
