package dev.windrose.fabric.internal;

import dev.windrose.dataplane.AnaState;
import dev.windrose.dataplane.BlockDeviceKind;
import dev.windrose.dataplane.MirrorLeg;
import dev.windrose.dataplane.NamespaceSpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The desired state the reconciler works from: plain values, read from the database in one transaction. */
public final class Desired {

    private Desired() {
    }

    /**
     * @param newListenerAnaStates the state each listed ANA group has through listeners as they are added (a
     *        mirrored namespace's group starts INACCESSIBLE: the mirror's coordinator makes it optimized on the
     *        active node only); groups not listed start OPTIMIZED
     */
    public record Subsystem(long id, String nqn, String serial, String model, boolean allowAnyHost,
            List<Namespace> namespaces, List<Listener> listeners, List<Host> hosts,
            Map<Integer, AnaState> newListenerAnaStates, int dhchapHashMask, int dhchapGroupMask) {

        /** The dataplane's default DH-HMAC-CHAP policy: every hash, every DH group. */
        public static final int ALL_HASHES = 0x0e;
        public static final int ALL_GROUPS = 0x3f;

        public Subsystem {
            namespaces = List.copyOf(namespaces);
            listeners = List.copyOf(listeners);
            hosts = List.copyOf(hosts);
            newListenerAnaStates = Map.copyOf(newListenerAnaStates);
        }

        public Subsystem(long id, String nqn, String serial, String model, boolean allowAnyHost,
                List<Namespace> namespaces, List<Listener> listeners, List<Host> hosts,
                Map<Integer, AnaState> newListenerAnaStates) {
            this(id, nqn, serial, model, allowAnyHost, namespaces, listeners, hosts, newListenerAnaStates, ALL_HASHES,
                    ALL_GROUPS);
        }

        public Subsystem(long id, String nqn, String serial, String model, boolean allowAnyHost,
                List<Namespace> namespaces, List<Listener> listeners, List<Host> hosts) {
            this(id, nqn, serial, model, allowAnyHost, namespaces, listeners, hosts, Map.of());
        }

        /** The part of a subsystem the dataplane cannot change in place: a difference means recreate. */
        boolean sameIdentity(Subsystem other) {
            return nqn.equals(other.nqn) && serial.equals(other.serial) && model.equals(other.model);
        }
    }

    /**
     * nguid is 32 hex digits, uuid the text form; path only for FILE and EXTENT; offsetBytes is where an
     * EXTENT starts on its disk, 0 for the other kinds; anaGroup 1 for plain volumes; remote the partner's
     * leg of a mirrored volume (issue 16), null for a plain one.
     */
    public record Namespace(long id, int nsid, BlockDeviceKind kind, @Nullable String path, long sizeBytes,
            String nguid, String uuid, long offsetBytes, int anaGroup, @Nullable MirrorLeg remote) {

        public Namespace(long id, int nsid, BlockDeviceKind kind, @Nullable String path, long sizeBytes, String nguid,
                String uuid, long offsetBytes) {
            this(id, nsid, kind, path, sizeBytes, nguid, uuid, offsetBytes, 1, null);
        }

        /** Equal apart from the database id: the same device, nothing to redo. */
        boolean sameDevice(Namespace other) {
            return nsid == other.nsid && kind == other.kind && java.util.Objects.equals(path, other.path)
                    && sizeBytes == other.sizeBytes && offsetBytes == other.offsetBytes && nguid.equals(other.nguid)
                    && uuid.equals(other.uuid) && anaGroup == other.anaGroup
                    && MirrorLeg.sameLeg(remote, other.remote);
        }

        /** The same device made larger (its volume grew in place): resized on the live target, not re-added. */
        boolean grownFrom(Namespace old) {
            return sizeBytes > old.sizeBytes && remote == null
                    && sameDevice(new Namespace(id, old.nsid, old.kind, old.path, sizeBytes, old.nguid, old.uuid,
                            old.offsetBytes, old.anaGroup, old.remote));
        }

        /**
         * FILE namespaces pass size 0 so the dataplane takes the file's size (a grown volume shows up); an
         * EXTENT is exactly its bytes of the disk, never more.
         */
        NamespaceSpec toSpec() {
            long size = kind == BlockDeviceKind.FILE ? 0 : sizeBytes;
            return new NamespaceSpec(nsid, kind, path, size, 0, HexFormat.of().parseHex(nguid), uuidBytes(uuid), anaGroup,
                    kind == BlockDeviceKind.EXTENT ? offsetBytes : 0);
        }

        private static byte[] uuidBytes(String text) {
            UUID value = UUID.fromString(text);
            byte[] bytes = new byte[16];
            java.nio.ByteBuffer.wrap(bytes).putLong(value.getMostSignificantBits()).putLong(value.getLeastSignificantBits());
            return bytes;
        }
    }

    public record Listener(long id, String address, int port) {

        Endpoint endpoint() {
            return new Endpoint(address, port);
        }
    }

    public record Endpoint(String address, int port) {

        @Override
        public String toString() {
            return address.contains(":") ? "[" + address + "]:" + port : address + ":" + port;
        }
    }

    /**
     * An allowed host. dhchap: the DH-HMAC-CHAP secrets it must authenticate with, null for none; refusal:
     * why it must not be allowed on the dataplane at all for now (its secret cannot be read on this node), in
     * words, null normally. A host that should authenticate is never let in without.
     */
    public record Host(long id, String hostNqn, @Nullable Dhchap dhchap, @Nullable String refusal) {

        public Host(long id, String hostNqn) {
            this(id, hostNqn, null, null);
        }
    }

    /**
     * The DH-HMAC-CHAP secrets of a host in clear, as the dataplane takes them: the host secret, the previous
     * one while a rotation's grace period lasts, the controller secret for bidirectional authentication.
     * Never printed: toString names only which are set.
     */
    public record Dhchap(String hostSecret, @Nullable String previousHostSecret, @Nullable String ctrlSecret) {

        /** A digest to tell one set of secrets from another without keeping them in clear. */
        String fingerprint() {
            try {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                for (String part : new String[] {hostSecret, previousHostSecret, ctrlSecret}) {
                    sha.update((part == null ? "-" : "+" + part).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                }
                return HexFormat.of().formatHex(sha.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available in this JDK", e);
            }
        }

        @Override
        public String toString() {
            return "Dhchap[host secret" + (previousHostSecret == null ? "" : ", previous host secret")
                    + (ctrlSecret == null ? "" : ", controller secret") + "]";
        }
    }
}
