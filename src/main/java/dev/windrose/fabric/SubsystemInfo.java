package dev.windrose.fabric;

import dev.windrose.dataplane.AnaState;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A subsystem, its namespaces, listeners and allowed hosts, each with what the reconciler observed.
 *
 * @param lastError why the object is not applied, in words; null when it is
 * @param lastDrift the last difference the reconciler found between the dataplane and this subsystem as
 *     it had applied it (e.g. a namespace gone behind the console's back) and repaired, in words; null
 *     when it never found one
 * @param driftAt when it found it
 * @param nodes what each node serving a part of it (its listeners, its volumes) observed, UNREACHABLE for
 *     a node that is offline; {@code state} and {@code lastError} sum them up
 */
public record SubsystemInfo(SubsystemId id, String nqn, String serial, String model, boolean allowAnyHost,
        Instant createdAt, ObservedState state, @Nullable String lastError, List<NamespaceInfo> namespaces,
        List<ListenerInfo> listeners, List<AllowedHost> allowedHosts, @Nullable String lastDrift,
        @Nullable Instant driftAt, List<NodeState> nodes, DhchapPolicy dhchapPolicy) {

    /** As before DH-HMAC-CHAP (issue 17): every hash function and DH group allowed. */
    public SubsystemInfo(SubsystemId id, String nqn, String serial, String model, boolean allowAnyHost,
            Instant createdAt, ObservedState state, @Nullable String lastError, List<NamespaceInfo> namespaces,
            List<ListenerInfo> listeners, List<AllowedHost> allowedHosts, @Nullable String lastDrift,
            @Nullable Instant driftAt, List<NodeState> nodes) {
        this(id, nqn, serial, model, allowAnyHost, createdAt, state, lastError, namespaces, listeners, allowedHosts,
                lastDrift, driftAt, nodes, DhchapPolicy.ALL);
    }

    /** One node's observation of the subsystem. */
    public record NodeState(long hostId, String nodeName, ObservedState state, @Nullable String lastError,
            Instant observedAt) {
    }

    /**
     * A volume attached as a namespace; nguid is 32 hex digits, uuid the usual text form.
     *
     * @param anaGroup the ANA group the namespace belongs to (its access state is set per listener)
     */
    public record NamespaceInfo(int nsid, long volumeId, String volumeName, String backingKind, long sizeBytes,
            String nguid, String uuid, int anaGroup, ObservedState state, @Nullable String lastError) {
    }

    /**
     * addressFamily is IPV4 or IPV6; transport is always tcp for now.
     *
     * @param anaState what initiators reaching the namespaces through this listener are told about
     *         their ANA group (NVMe base spec 8.1.3)
     */
    public record ListenerInfo(long id, long hostId, String transport, String addressFamily, String address, int port,
            AnaState anaState, ObservedState state, @Nullable String lastError) {
    }

    /** @param dhchap its DH-HMAC-CHAP secrets, when and which are set (never the secrets); null when it has none */
    public record AllowedHost(long id, String hostNqn, ObservedState state, @Nullable String lastError,
            @Nullable Dhchap dhchap) {

        public AllowedHost(long id, String hostNqn, ObservedState state, @Nullable String lastError) {
            this(id, hostNqn, state, lastError, null);
        }
    }

    /**
     * What is known of an allowed host's DH-HMAC-CHAP secrets: never the secrets themselves.
     *
     * @param hostSecretSetAt when the host secret it must authenticate with was set
     * @param previousAcceptedUntil until when the host secret before the last rotation is accepted too; null
     *     when none is
     * @param controllerSecretSetAt when the controller secret (bidirectional authentication) was set; null
     *     when there is none
     */
    public record Dhchap(Instant hostSecretSetAt, @Nullable Instant previousAcceptedUntil,
            @Nullable Instant controllerSecretSetAt) {
    }
}
