package dev.windrose.inventory.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who this node is ({@code windrose.node.*}). Unset, a node is known by the operating system's
 * {@code /etc/machine-id} and host name; setting them lets several nodes share one machine (tests,
 * demos) and lets an operator name a node before it first starts.
 *
 * @param id a stable identity, at most 64 characters; replaces the machine id (never change it once a
 *     node has joined: a new id is a new node)
 * @param name the name shown in the console; replaces the host name
 */
@ConfigurationProperties(prefix = "windrose.node")
public record NodeProperties(@Nullable String id, @Nullable String name) {

    static final int MAX_ID = 64;

    public NodeProperties {
        if (id != null && (id.isBlank() || id.length() > MAX_ID || !id.chars().allMatch(NodeProperties::plain))) {
            throw new IllegalArgumentException("windrose.node.id must be 1 to " + MAX_ID
                    + " letters, digits, '.', '-', '_' or ':' (it is '" + id + "')");
        }
        if (name != null && (name.isBlank() || name.length() > 255 || name.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("windrose.node.name must be 1 to 255 printable characters");
        }
    }

    private static boolean plain(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == ':');
    }

    /** The operating system's facts with this node's identity in place of the machine's. */
    HostFacts applyTo(HostFacts facts) {
        return new HostFacts(id == null ? facts.machineId() : id, name == null ? facts.name() : name,
                facts.addresses(), facts.osName(), facts.kernel(), facts.cpuCores(), facts.memoryBytes(),
                facts.dataplaneVersion(), facts.dataplaneMode());
    }
}
