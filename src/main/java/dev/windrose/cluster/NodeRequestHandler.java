package dev.windrose.cluster;

/**
 * Carries out one kind of change on the node that owns what it touches (its files, disks, ports), when a
 * console on another node asked for it through {@link NodeRequests}. Implemented by the features (storage:
 * pools and volumes; fabric: listeners); the body is the same request the feature's REST endpoint takes.
 *
 * @param <B> the request body, read from JSON
 */
public interface NodeRequestHandler<B> {

    /** A stable name, e.g. {@code pool.create}; stored with each request. */
    String kind();

    Class<B> bodyType();

    /**
     * Runs on the owning node, as the person who asked, inside the transaction that records the outcome.
     * Throws the features' exceptions (invalid input, conflict, not found) as the local call would.
     *
     * @return what the REST endpoint would answer (written as JSON), or null for no content
     */
    @org.jspecify.annotations.Nullable Object carryOut(B body);

    /** A handler from a function, for features that route a REST endpoint's body to their local call. */
    static <B> NodeRequestHandler<B> of(String kind, Class<B> bodyType,
            java.util.function.Function<B, @org.jspecify.annotations.Nullable Object> carryOut) {
        return new NodeRequestHandler<>() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public Class<B> bodyType() {
                return bodyType;
            }

            @Override
            public @org.jspecify.annotations.Nullable Object carryOut(B body) {
                return carryOut.apply(body);
            }
        };
    }
}
