package dev.windrose.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API through FFM against the real library: a target on loopback, configured from Java. */
class NativeTargetTest {

    static final String NQN = "nqn.2026-01.dev.windrose:test";

    @TempDir
    static Path libraryDir;
    static NativeDataplane dataplane;
    DataplaneTarget target;

    @BeforeAll
    static void load() {
        dataplane = NativeDataplane.load(NativeLibraryExtractor.extract(libraryDir));
    }

    @AfterAll
    static void unload() {
        dataplane.close();
    }

    @BeforeEach
    void start() {
        target = dataplane.createTarget(TargetOptions.adaptive(1));
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** The FFM binding passes bytes and a length; the library refuses the NUL instead of serving "…:twin". */
    @Test
    void names_with_an_embedded_nul_are_refused_not_cut_short() {
        String twin = "nqn.2026-12.dev.example:twin";
        target.createSubsystem(twin, null, null, false);

        assertThatThrownBy(() -> target.createSubsystem(twin + "\u0000evil", null, null, true))
                .isInstanceOf(DataplaneException.class)
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> target.setAllowAnyHost(twin + "\u0000evil", true))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> target.allowHost(twin, "nqn.2026-12.dev.example:h\u0000x"))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> target.allowHost(twin, "nqn.2026-12.dev.example:h\ud800"))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));
        // twin itself is untouched: still there (a second create is EEXIST), still restricted
        assertThatThrownBy(() -> target.createSubsystem(twin, null, null, false))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(17));
        target.allowHost(twin, "nqn.2026-12.dev.example:h");
        target.deleteSubsystem(twin);
    }

    @Test
    void a_subsystem_with_a_ram_namespace_listens_on_loopback_and_shows_in_the_statistics() throws IOException {
        target.createSubsystem(NQN, "WR0001", "Windrose test", true);
        target.addNamespace(NQN, NamespaceSpec.ram(1, 8L << 20));
        int port = target.addListener(NQN, "127.0.0.1", 0);
        assertThat(port).isPositive();

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            assertThat(socket.isConnected()).isTrue();
        }

        StatsSnapshot stats = target.stats();
        assertThat(stats.reactors()).hasSize(1);
        assertThat(stats.namespaces()).singleElement().satisfies(ns -> {
            assertThat(ns.subsystemNqn()).isEqualTo(NQN);
            assertThat(ns.nsid()).isEqualTo(1);
            assertThat(ns.read().ops()).isZero();
            assertThat(ns.read().latency().count()).isZero();
        });
        assertThat(target.controllers()).as("a TCP connection is not yet an NVMe controller").isEmpty();
    }

    /** DH-HMAC-CHAP secrets through the binding: checked by the library, each error with its own errno. */
    @Test
    void dhchap_secrets_and_policy_are_set_and_bad_ones_refused_with_their_errno() {
        String host = "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555";
        // nvme gen-dhchap-key --secret=000102...1f --hmac=0, and the 48-byte one of 404142...6f
        String secret = "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:";
        String ctrl = "DHHC-1:00:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5voBXMjQ==:";
        target.createSubsystem(NQN, null, null, false);
        assertThatThrownBy(() -> target.setHostDhchap(NQN, host, secret, null, null))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.ENOENT));
        target.allowHost(NQN, host);
        target.setHostDhchap(NQN, host, secret, null, ctrl);
        target.setHostDhchap(NQN, host, ctrl, secret, null);
        target.setDhchapPolicy(NQN, 1 << 3, 1 << 1);
        target.setHostDhchap(NQN, host, null, null, null);

        String mistyped = secret.replace("Hh+K", "Hh6K");
        assertThatThrownBy(() -> target.setHostDhchap(NQN, host, mistyped, null, null))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EBADMSG))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("AAECAwQF"));
        assertThatThrownBy(() -> target.setHostDhchap(NQN, host, "DHHC-1:00:AAECAwQFBgcICQoLDA0OD2rHwC8=:", null, null))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EMSGSIZE));
        assertThatThrownBy(() -> target.setHostDhchap(NQN, host, secret, null, secret))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> target.setDhchapPolicy(NQN, 1 << 4, 1))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));
    }

    /** TLS through the binding: PSKs checked by the library with their errno, port modes set and read back. */
    @Test
    void tls_psks_and_port_modes_are_set_and_bad_ones_refused_with_their_errno() {
        String host = "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555";
        // libnvme's published vector (test/psk.c): the NVMe TCP specification's example PSK
        String psk = "NVMeTLSkey-1:01:VRLbtnN9AQb2WXW3c9+wEf/DRLz0QuLdbYvEhwtdWwNf9LrZ:";
        dataplane.checkTlsPsk(psk);
        String generated = dataplane.generateTlsPsk(false);
        assertThat(generated).startsWith("NVMeTLSkey-1:01:").endsWith(":").hasSize(16 + 48 + 1);
        dataplane.checkTlsPsk(generated);
        assertThat(dataplane.generateTlsPsk(true)).startsWith("NVMeTLSkey-1:02:").hasSize(16 + 72 + 1);
        assertThat(dataplane.generateTlsPsk(false)).isNotEqualTo(generated);

        target.createSubsystem(NQN, null, null, false);
        assertThatThrownBy(() -> target.setHostTlsPsk(NQN, host, psk, TlsPskDerivation.LIBNVME))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.ENOENT));
        target.allowHost(NQN, host);
        target.setHostTlsPsk(NQN, host, psk, TlsPskDerivation.LIBNVME);
        target.setHostTlsPsk(NQN, host, generated, TlsPskDerivation.RFC8446);
        target.setHostTlsPsk(NQN, host, null, TlsPskDerivation.LIBNVME);
        String mistyped = psk.replace("9LrZ", "9Lra");
        assertThatThrownBy(() -> target.setHostTlsPsk(NQN, host, mistyped, TlsPskDerivation.LIBNVME))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EBADMSG))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("VRLbtn"));
        assertThatThrownBy(() -> dataplane.checkTlsPsk(psk.replace(":01:", ":02:")))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EMSGSIZE));
        assertThatThrownBy(() -> dataplane.checkTlsPsk("NVMeTLSkey-1:01:x:"))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));

        assertThatThrownBy(() -> target.setPortTls("127.0.0.1", 1, TlsMode.REQUIRED))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.ENOENT));
        int port = target.addListener(NQN, "127.0.0.1", 0);
        assertThat(target.portTls("127.0.0.1", port)).isEqualTo(TlsMode.NONE);
        target.setPortTls("127.0.0.1", port, TlsMode.REQUIRED);
        assertThat(target.portTls("127.0.0.1", port)).isEqualTo(TlsMode.REQUIRED);
        target.setPortTls("127.0.0.1", port, TlsMode.NOT_REQUIRED);
        assertThat(target.portTls("127.0.0.1", port)).isEqualTo(TlsMode.NOT_REQUIRED);
    }

    @Test
    void a_taken_nqn_is_refused_with_eexist() {
        target.createSubsystem(NQN, null, null, false);
        assertThatThrownBy(() -> target.createSubsystem(NQN, null, null, false))
                .isInstanceOf(DataplaneException.class)
                .hasMessageStartingWith("wr_subsystem_create(" + NQN + "): EEXIST")
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(17));
    }

    @Test
    void removing_what_does_not_exist_is_an_error_not_a_crash() {
        assertThatThrownBy(() -> target.removeNamespace("nqn.2026-01.dev.windrose:absent", 1))
                .isInstanceOf(DataplaneException.class)
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isPositive());
        assertThatThrownBy(() -> target.deleteSubsystem("nqn.2026-01.dev.windrose:absent"))
                .isInstanceOf(DataplaneException.class);
    }

    @Test
    void a_deleted_subsystem_leaves_the_statistics() {
        target.createSubsystem(NQN, null, null, true);
        target.addNamespace(NQN, NamespaceSpec.nullDevice(7, 1L << 30));
        assertThat(target.stats().namespaces()).hasSize(1);
        target.deleteSubsystem(NQN);
        assertThat(target.stats().namespaces()).isEmpty();
    }

    @Test
    void an_extent_namespace_is_served_from_inside_its_disk_and_never_grows_it(@TempDir Path dir) throws IOException {
        Path disk = dir.resolve("disk.img");
        java.nio.file.Files.write(disk, new byte[8 << 20]);
        target.createSubsystem(NQN, null, null, true);

        target.addNamespace(NQN, NamespaceSpec.extent(1, disk.toString(), 1L << 20, 4L << 20));
        assertThat(target.stats().namespaces()).singleElement().extracting(StatsSnapshot.Namespace::nsid)
                .isEqualTo(1);
        assertThatThrownBy(() -> target.addNamespace(NQN, NamespaceSpec.extent(2, disk.toString(), 6L << 20, 4L << 20)))
                .isInstanceOf(DataplaneException.class)
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).as("ENOSPC").isEqualTo(28));
        assertThat(java.nio.file.Files.size(disk)).as("an extent never extends its disk").isEqualTo(8L << 20);
        assertThatThrownBy(() -> NamespaceSpec.extent(3, disk.toString(), 0, 4L << 20))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namespaces_grow_through_the_binding_and_shrinking_or_leaving_the_disk_is_refused(@TempDir Path dir)
            throws IOException {
        Path disk = dir.resolve("disk.img");
        java.nio.file.Files.write(disk, new byte[8 << 20]);
        Path file = dir.resolve("vol.img");
        target.createSubsystem(NQN, null, null, true);
        target.addNamespace(NQN, NamespaceSpec.ram(1, 1L << 20));
        target.addNamespace(NQN, NamespaceSpec.extent(2, disk.toString(), 1L << 20, 2L << 20));
        target.addNamespace(NQN, NamespaceSpec.file(3, file.toString(), 1L << 20));

        target.resizeNamespace(NQN, 1, 4L << 20);
        target.resizeNamespace(NQN, 2, 7L << 20);
        target.resizeNamespace(NQN, 3, 3L << 20);

        assertThat(java.nio.file.Files.size(file)).as("a file namespace is extended").isEqualTo(3L << 20);
        assertThatThrownBy(() -> target.resizeNamespace(NQN, 1, 2L << 20))
                .isInstanceOf(DataplaneException.class).hasMessageStartingWith("wr_ns_resize(" + NQN + ", 1, 2097152): EINVAL");
        assertThatThrownBy(() -> target.resizeNamespace(NQN, 2, 8L << 20)).as("past the end of its disk")
                .isInstanceOf(DataplaneException.class)
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(28));
        assertThat(java.nio.file.Files.size(disk)).isEqualTo(8L << 20);
        assertThatThrownBy(() -> target.resizeNamespace(NQN, 9, 8L << 20)).isInstanceOf(DataplaneException.class)
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(2));
    }

    @Test
    void a_closed_target_refuses_calls_and_closing_twice_is_harmless() {
        DataplaneTarget other = dataplane.createTarget(TargetOptions.adaptive(1));
        other.close();
        other.close();
        assertThatThrownBy(() -> other.createSubsystem(NQN, null, null, true))
                .isInstanceOf(DataplaneException.class)
                .hasMessage("The dataplane target is closed.");
    }

    @Test
    void a_listener_ana_state_is_set_and_read_back_per_group() {
        target.createSubsystem(NQN, null, null, true);
        target.addNamespace(NQN, NamespaceSpec.ram(1, 1L << 20));
        int port = target.addListener(NQN, "127.0.0.1", 0);
        assertThat(target.listenerAnaState(NQN, "127.0.0.1", port, 2)).isEqualTo(AnaState.OPTIMIZED);

        target.setListenerAnaState(NQN, "127.0.0.1", port, 2, AnaState.PERSISTENT_LOSS);
        target.setListenerAnaState(NQN, "127.0.0.1", port, 3, AnaState.NON_OPTIMIZED);

        assertThat(target.listenerAnaState(NQN, "127.0.0.1", port, 2)).isEqualTo(AnaState.PERSISTENT_LOSS);
        assertThat(target.listenerAnaState(NQN, "127.0.0.1", port, 3)).isEqualTo(AnaState.NON_OPTIMIZED);
        assertThat(target.listenerAnaState(NQN, "127.0.0.1", port, 1)).isEqualTo(AnaState.OPTIMIZED);
        assertThatThrownBy(() -> target.listenerAnaState(NQN, "127.0.0.1", port + 1, 1))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.ENOENT));
        assertThatThrownBy(() -> target.listenerAnaState(NQN, "127.0.0.1", port, 17))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));

        target.setNewListenerAnaState(NQN, 4, AnaState.INACCESSIBLE);
        int second = target.addListener(NQN, "127.0.0.1", 0);
        assertThat(target.listenerAnaState(NQN, "127.0.0.1", second, 4)).isEqualTo(AnaState.INACCESSIBLE);
        assertThat(target.listenerAnaState(NQN, "127.0.0.1", port, 4)).isEqualTo(AnaState.OPTIMIZED);
        assertThatThrownBy(() -> target.setNewListenerAnaState(NQN, 4, AnaState.CHANGE))
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void a_group_left_in_change_turns_inaccessible_after_the_configured_ana_transition_time() throws Exception {
        try (DataplaneTarget quick = dataplane.createTarget(new TargetOptions(1, PollMode.ADAPTIVE, null,
                ConnectionLimits.DEFAULTS, new ControllerIdRange(100, 199), Duration.ofSeconds(1)))) {
            quick.createSubsystem(NQN, null, null, true);
            int port = quick.addListener(NQN, "127.0.0.1", 0);
            quick.setListenerAnaState(NQN, "127.0.0.1", port, 1, AnaState.CHANGE);
            assertThat(quick.listenerAnaState(NQN, "127.0.0.1", port, 1)).isEqualTo(AnaState.CHANGE);

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (quick.listenerAnaState(NQN, "127.0.0.1", port, 1) == AnaState.CHANGE
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(quick.listenerAnaState(NQN, "127.0.0.1", port, 1)).isEqualTo(AnaState.INACCESSIBLE);
        }
    }

    @Test
    void a_controller_id_range_reaches_the_library_in_order() {
        target.setControllerIdRange(new ControllerIdRange(100, 200));
        target.setControllerIdRange(new ControllerIdRange(0xFFEF, 0xFFEF));
        target.setControllerIdRange(ControllerIdRange.ALL);
        assertThatThrownBy(() -> new ControllerIdRange(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ControllerIdRange(200, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ControllerIdRange(1, 0xFFF0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalid_options_are_refused_before_reaching_c() {
        assertThatThrownBy(() -> TargetOptions.adaptive(0)).isInstanceOf(IllegalArgumentException.class);
        for (Duration anatt : new Duration[] { Duration.ZERO, Duration.ofSeconds(256), Duration.ofMillis(1500) }) {
            assertThatThrownBy(() -> new TargetOptions(1, PollMode.ADAPTIVE, null, ConnectionLimits.DEFAULTS,
                    ControllerIdRange.ALL, anatt)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> NamespaceSpec.ram(0, 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> target.addListener(NQN, "127.0.0.1", 70000)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A mirrored namespace through FFM against a partner target in the same JVM: in sync at once, degraded
     * (not removed, no error) when the partner goes away, in sync again after a resync against a partner
     * brought back on the same port. Byte-level checks with a host writing are in dataplane-native's
     * test_mirror.c.
     */
    @Test
    void a_mirrored_namespace_degrades_when_its_partner_goes_and_resyncs_when_it_returns() throws Exception {
        String partnerNqn = "nqn.2026-12.dev.windrose:partner";
        String hostNqn = "nqn.2026-12.dev.windrose:node-a";
        DataplaneTarget partner = dataplane.createTarget(TargetOptions.adaptive(1));
        try {
            partner.createSubsystem(partnerNqn, null, null, false);
            partner.allowHost(partnerNqn, hostNqn);
            partner.addNamespace(partnerNqn, NamespaceSpec.ram(1, 8L << 20));
            int partnerPort = partner.addListener(partnerNqn, "127.0.0.1", 0);
            target.createSubsystem(NQN, null, null, true);
            MirrorLeg leg = new MirrorLeg("127.0.0.1", partnerPort, partnerNqn, 1, hostNqn, Duration.ofSeconds(1), 1 << 20,
                    64, true, false, libraryDir.resolve("mirror-1.bitmap").toString());

            assertThatThrownBy(() -> target.addMirroredNamespace(NQN, NamespaceSpec.ram(1, 4L << 20), leg))
                    .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));
            target.addMirroredNamespace(NQN, NamespaceSpec.ram(1, 8L << 20), leg);
            target.addNamespace(NQN, NamespaceSpec.ram(2, 8L << 20));
            assertThat(libraryDir.resolve("mirror-1.bitmap")).exists();   // the persistent dirty-region bitmap

            MirrorStatus status = target.mirrorStatus(NQN, 1);
            assertThat(status.state()).isEqualTo(MirrorStatus.State.IN_SYNC);
            assertThat(status.totalRegions()).isEqualTo(8);
            assertThat(status.regionBytes()).isEqualTo(1 << 20);
            assertThat(status.dirtyRegions()).isZero();
            assertThatThrownBy(() -> target.mirrorStatus(NQN, 2))
                    .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.EINVAL));
            assertThatThrownBy(() -> target.resizeNamespace(NQN, 1, 16L << 20)).isInstanceOf(DataplaneException.class);
            target.resyncMirror(NQN, 1);   // in sync: nothing to do

            partner.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (target.mirrorStatus(NQN, 1).state() != MirrorStatus.State.DEGRADED && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            status = target.mirrorStatus(NQN, 1);
            assertThat(status.state()).isEqualTo(MirrorStatus.State.DEGRADED);
            assertThat(status.degradedCount()).isEqualTo(1);
            assertThat(status.lastError()).isNegative();
            assertThat(status.holding()).isTrue();         // holdOnDegrade: writes wait for the release
            target.releaseMirror(NQN, 1);
            assertThat(target.mirrorStatus(NQN, 1).holding()).isFalse();
            assertThatThrownBy(() -> target.resyncMirror(NQN, 1)).isInstanceOf(DataplaneException.class);

            partner = dataplane.createTarget(TargetOptions.adaptive(1));
            partner.createSubsystem(partnerNqn, null, null, false);
            partner.allowHost(partnerNqn, hostNqn);
            partner.addNamespace(partnerNqn, NamespaceSpec.ram(1, 8L << 20));
            partner.addListener(partnerNqn, "127.0.0.1", partnerPort);
            target.resyncMirror(NQN, 1);
            status = target.mirrorStatus(NQN, 1);
            assertThat(status.state()).isEqualTo(MirrorStatus.State.IN_SYNC);
            assertThat(status.dirtyRegions()).isZero();
            assertThat(status.resyncProgress()).isEqualTo(1.0);
            target.removeNamespace(NQN, 1);
        } finally {
            partner.close();
        }
    }
}
