package dev.windrose.telemetry;

import dev.windrose.common.InvalidInputException;
import dev.windrose.inventory.HostId;

/**
 * Something telemetry measures. Its {@link #key()} is how REST names it ({@code object=…}):
 * {@code cluster}, {@code host:<id>}, {@code subsystem:<nqn>}, {@code namespace:<nqn>/<nsid>}.
 */
public sealed interface MetricObject {

    String key();

    static MetricObject cluster() {
        return Cluster.INSTANCE;
    }

    /** Parses a key; a malformed one is an {@link InvalidInputException} naming {@code field}. */
    static MetricObject parse(String field, String key) {
        String trimmed = key.strip();
        if (trimmed.equals("cluster")) {
            return Cluster.INSTANCE;
        }
        int colon = trimmed.indexOf(':');
        String kind = colon < 0 ? trimmed : trimmed.substring(0, colon);
        String rest = colon < 0 ? "" : trimmed.substring(colon + 1);
        try {
            return switch (kind) {
                case "host" -> new Host(new HostId(Long.parseLong(rest)));
                case "subsystem" -> new Subsystem(rest);
                case "namespace" -> {
                    int slash = rest.lastIndexOf('/');
                    if (slash < 0) {
                        throw new IllegalArgumentException("no /nsid");
                    }
                    yield new Namespace(rest.substring(0, slash), Integer.parseInt(rest.substring(slash + 1)));
                }
                default -> throw new IllegalArgumentException("unknown kind");
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "'" + key + "' names no object: use cluster, host:<id>, "
                    + "subsystem:<nqn> or namespace:<nqn>/<nsid>.");
        }
    }

    /** All hosts together. */
    record Cluster() implements MetricObject {
        static final Cluster INSTANCE = new Cluster();

        @Override
        public String key() {
            return "cluster";
        }
    }

    record Host(HostId hostId) implements MetricObject {
        @Override
        public String key() {
            return "host:" + hostId.value();
        }
    }

    record Subsystem(String nqn) implements MetricObject {
        public Subsystem {
            if (nqn.isBlank()) {
                throw new IllegalArgumentException("a subsystem NQN is not blank");
            }
        }

        @Override
        public String key() {
            return "subsystem:" + nqn;
        }
    }

    record Namespace(String subsystemNqn, int nsid) implements MetricObject {
        public Namespace {
            if (subsystemNqn.isBlank() || nsid < 1) {
                throw new IllegalArgumentException("a namespace has a subsystem NQN and an NSID of at least 1");
            }
        }

        @Override
        public String key() {
            return "namespace:" + subsystemNqn + "/" + nsid;
        }
    }
}
