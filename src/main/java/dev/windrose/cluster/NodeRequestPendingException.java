package dev.windrose.cluster;

/** The node has not carried out the change yet; it will when it gets to it (or the request expires). */
public class NodeRequestPendingException extends RuntimeException {

    private final transient NodeRequestInfo request;

    public NodeRequestPendingException(NodeRequestInfo request) {
        super("Node " + request.nodeName() + " has not answered yet: it makes the change when it gets to it "
                + "(request " + request.id() + ", until " + request.expiresAt() + "; GET /api/v1/cluster/requests/"
                + request.id() + ").");
        this.request = request;
    }

    public NodeRequestInfo request() {
        return request;
    }
}
