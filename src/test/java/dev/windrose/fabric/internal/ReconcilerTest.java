package dev.windrose.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.dataplane.BlockDeviceKind;
import dev.windrose.fabric.ObservedState;
import dev.windrose.fabric.internal.Observation.Kind;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    static final String NQN = "nqn.2026-01.dev.windrose:alpha";
    static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c-0b0a-0908-0706-050403020100";
    static final String NGUID = "00112233445566778899aabbccddeeff";
    static final String UUID_TEXT = "6a1c5e0e-3b5c-4c66-9f0e-1d2c3b4a5f60";

    final Reconciler reconciler = new Reconciler();
    final RecordingTarget target = new RecordingTarget();

    static Desired.Namespace ram(long id, int nsid) {
        return new Desired.Namespace(id, nsid, BlockDeviceKind.RAM, null, 1 << 20, NGUID.substring(0, 30) + "0" + nsid,
                UUID.nameUUIDFromBytes(new byte[] {(byte) nsid}).toString(), 0);
    }

    static Desired.Subsystem subsystem(boolean allowAnyHost, List<Desired.Namespace> namespaces,
            List<Desired.Listener> listeners, List<Desired.Host> hosts) {
        return new Desired.Subsystem(1, NQN, "SER1", "Windrose", allowAnyHost, namespaces, listeners, hosts);
    }

    static Desired.Subsystem full() {
        return subsystem(false, List.of(ram(10, 1), ram(11, 2)), List.of(new Desired.Listener(20, "127.0.0.1", 4420)),
                List.of(new Desired.Host(30, HOST)));
    }

    @Test
    void a_first_pass_creates_everything_and_reports_it_applied() {
        List<Observation> seen = reconciler.reconcile(List.of(full()), target);

        assertThat(seen).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
        assertThat(seen).extracting(Observation::kind, Observation::id).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Kind.SUBSYSTEM, 1L), org.assertj.core.groups.Tuple.tuple(Kind.NAMESPACE, 10L),
                org.assertj.core.groups.Tuple.tuple(Kind.NAMESPACE, 11L), org.assertj.core.groups.Tuple.tuple(Kind.LISTENER, 20L),
                org.assertj.core.groups.Tuple.tuple(Kind.HOST, 30L));
        RecordingTarget.Subsystem served = target.subsystems.get(NQN);
        assertThat(served.serial()).isEqualTo("SER1");
        assertThat(served.allowAnyHost()).isFalse();
        assertThat(served.hosts()).containsExactly(HOST);
        assertThat(served.namespaces()).containsOnlyKeys(1, 2);
        assertThat(served.listeners()).containsExactly("127.0.0.1:4420");
    }

    @Test
    void the_stored_nguid_and_uuid_reach_the_dataplane_unchanged() {
        Desired.Namespace namespace = new Desired.Namespace(10, 7, BlockDeviceKind.FILE, "/srv/vol.img", 1 << 20, NGUID,
                UUID_TEXT, 0);
        reconciler.reconcile(List.of(subsystem(true, List.of(namespace), List.of(), List.of())), target);

        var spec = target.subsystems.get(NQN).namespaces().get(7);
        assertThat(HexFormat.of().formatHex(spec.nguid())).isEqualTo(NGUID);
        assertThat(HexFormat.of().formatHex(spec.uuid())).isEqualTo(UUID_TEXT.replace("-", ""));
        assertThat(spec.path()).isEqualTo("/srv/vol.img");
        assertThat(spec.sizeBytes()).as("a file namespace takes the file's size").isZero();
    }

    @Test
    void a_second_pass_over_the_same_state_changes_nothing_on_the_dataplane_and_finds_no_drift() {
        reconciler.reconcile(List.of(full()), target);
        target.calls.clear();

        List<Observation> seen = reconciler.reconcile(List.of(full()), target);

        assertThat(target.calls).isEmpty();
        assertThat(seen).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
        assertThat(seen).extracting(Observation::kind).doesNotContain(Kind.DRIFT);
    }

    @Test
    void a_namespace_listener_and_host_gone_behind_its_back_are_drift_repaired_and_reported_in_words() {
        reconciler.reconcile(List.of(full()), target);
        RecordingTarget.Subsystem served = target.subsystems.get(NQN);
        served.namespaces().remove(2);
        served.listeners().clear();
        served.hosts().clear();
        target.calls.clear();

        List<Observation> seen = reconciler.reconcile(List.of(full()), target);

        assertThat(target.calls).containsExactlyInAnyOrder("allowHost " + NQN + " " + HOST,
                "addListener " + NQN + " 127.0.0.1:4420", "addNamespace " + NQN + " 2");
        assertThat(served.namespaces()).containsOnlyKeys(1, 2);
        assertThat(seen).filteredOn(o -> o.kind() != Kind.DRIFT).extracting(Observation::state)
                .containsOnly(ObservedState.APPLIED);
        assertThat(seen).filteredOn(o -> o.kind() == Kind.DRIFT).singleElement().satisfies(drift -> {
            assertThat(drift.id()).isEqualTo(1L);
            assertThat(drift.error()).startsWith("Found on the dataplane and repaired: ")
                    .contains("host " + HOST + " was not allowed any more (allowed again)")
                    .contains("listener 127.0.0.1:4420 was not open (opened again)")
                    .contains("namespace 2 was missing (added again)")
                    .doesNotContain("namespace 1");
        });
        assertThat(reconciler.reconcile(List.of(full()), target)).extracting(Observation::kind)
                .as("repaired: the next pass finds nothing").doesNotContain(Kind.DRIFT);
    }

    @Test
    void a_subsystem_gone_from_the_dataplane_is_created_again_with_everything_in_it() {
        reconciler.reconcile(List.of(full()), target);
        target.subsystems.clear();

        List<Observation> seen = reconciler.reconcile(List.of(full()), target);

        RecordingTarget.Subsystem served = target.subsystems.get(NQN);
        assertThat(served.namespaces()).containsOnlyKeys(1, 2);
        assertThat(served.listeners()).containsExactly("127.0.0.1:4420");
        assertThat(served.hosts()).containsExactly(HOST);
        assertThat(seen).filteredOn(o -> o.kind() == Kind.DRIFT).singleElement().extracting(Observation::error)
                .asString().contains("the subsystem was missing from the target");
    }

    @Test
    void a_drifted_listener_that_cannot_be_opened_again_is_failed_in_words_and_reported_as_drift() {
        reconciler.reconcile(List.of(full()), target);
        target.subsystems.get(NQN).listeners().clear();
        target.failCallsStartingWith("addListener", RecordingTarget.EADDRINUSE);

        List<Observation> seen = reconciler.reconcile(List.of(full()), target);

        assertThat(seen).filteredOn(o -> o.kind() == Kind.LISTENER).singleElement().satisfies(listener -> {
            assertThat(listener.state()).isEqualTo(ObservedState.FAILED);
            assertThat(listener.error()).startsWith("Could not listen on 127.0.0.1:4420: ");
        });
        assertThat(seen).filteredOn(o -> o.kind() == Kind.DRIFT).singleElement().extracting(Observation::error)
                .asString().contains("listener 127.0.0.1:4420 was not open and could not be opened again");

        target.heal();
        assertThat(reconciler.reconcile(List.of(full()), target)).filteredOn(o -> o.kind() == Kind.LISTENER)
                .extracting(Observation::state).containsOnly(ObservedState.APPLIED);
    }

    @Test
    void a_call_that_fails_halfway_marks_only_that_object_failed_and_is_retried_next_pass() {
        target.failCallsStartingWith("addNamespace " + NQN + " 2", 12);

        List<Observation> seen = reconciler.reconcile(List.of(full()), target);

        Observation failed = seen.stream().filter(o -> o.kind() == Kind.NAMESPACE && o.id() == 11).findFirst().orElseThrow();
        assertThat(failed.state()).isEqualTo(ObservedState.FAILED);
        assertThat(failed.error()).startsWith("Could not add namespace 2: ").contains("ENOMEM");
        assertThat(seen).filteredOn(o -> o.id() != 11).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
        assertThat(target.subsystems.get(NQN).listeners()).as("objects after the failure are still applied").hasSize(1);

        target.heal();
        target.calls.clear();
        List<Observation> retried = reconciler.reconcile(List.of(full()), target);

        assertThat(target.calls).containsExactly("addNamespace " + NQN + " 2");
        assertThat(retried).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
    }

    @Test
    void a_subsystem_the_dataplane_refuses_leaves_its_children_pending_with_the_reason() {
        target.failCallsStartingWith("createSubsystem", 28);

        List<Observation> seen = reconciler.reconcile(List.of(full()), target);

        assertThat(seen).filteredOn(o -> o.kind() == Kind.SUBSYSTEM).singleElement()
                .satisfies(o -> assertThat(o.error()).startsWith("Could not create the subsystem").contains("ENOSPC"))
                .extracting(Observation::state).isEqualTo(ObservedState.FAILED);
        assertThat(seen).filteredOn(o -> o.kind() != Kind.SUBSYSTEM)
                .allSatisfy(o -> assertThat(o.state()).isEqualTo(ObservedState.PENDING))
                .extracting(Observation::error).containsOnly(Reconciler.WAITING_FOR_SUBSYSTEM);
    }

    @Test
    void a_listener_on_a_taken_port_is_failed_in_words() {
        target.failCallsStartingWith("addListener", RecordingTarget.EADDRINUSE);

        List<Observation> seen = reconciler.reconcile(List.of(full()), target);

        assertThat(seen).filteredOn(o -> o.kind() == Kind.LISTENER).singleElement()
                .extracting(Observation::error).asString()
                .startsWith("Could not listen on 127.0.0.1:4420: ").contains("address in use");
    }

    @Test
    void removed_objects_are_removed_from_the_dataplane() {
        reconciler.reconcile(List.of(full()), target);
        target.calls.clear();

        reconciler.reconcile(List.of(subsystem(true, List.of(ram(10, 1)), List.of(), List.of())), target);

        assertThat(target.calls).containsExactlyInAnyOrder("setAllowAnyHost " + NQN + " true",
                "disallowHost " + NQN + " " + HOST, "removeNamespace " + NQN + " 2",
                "removeListener " + NQN + " 127.0.0.1:4420");
        reconciler.reconcile(List.of(), target);
        assertThat(target.subsystems).isEmpty();
    }

    @Test
    void a_changed_namespace_device_is_replaced() {
        reconciler.reconcile(List.of(full()), target);
        target.calls.clear();
        // Another device behind the same NSID (a grown one is resized instead, see below).
        Desired.Namespace other = new Desired.Namespace(11, 2, BlockDeviceKind.NULL, null, 2 << 20, ram(11, 2).nguid(),
                ram(11, 2).uuid(), 0);

        reconciler.reconcile(List.of(subsystem(false, List.of(ram(10, 1), other), full().listeners(), full().hosts())),
                target);

        assertThat(target.calls).containsExactly("removeNamespace " + NQN + " 2", "addNamespace " + NQN + " 2");
        assertThat(target.subsystems.get(NQN).namespaces().get(2).kind()).isEqualTo(BlockDeviceKind.NULL);
        assertThat(target.subsystems.get(NQN).namespaces().get(2).sizeBytes()).isEqualTo(2 << 20);
    }

    static Desired.Namespace grown(Desired.Namespace namespace, long sizeBytes) {
        return new Desired.Namespace(namespace.id(), namespace.nsid(), namespace.kind(), namespace.path(), sizeBytes,
                namespace.nguid(), namespace.uuid(), namespace.offsetBytes());
    }

    static Desired.Subsystem withNamespaces(Desired.Namespace... namespaces) {
        return subsystem(true, List.of(namespaces), List.of(), List.of());
    }

    @Test
    void a_grown_volume_resizes_its_live_namespace_without_removing_it_and_finds_no_drift() {
        Desired.Namespace file = new Desired.Namespace(10, 1, BlockDeviceKind.FILE, "/srv/vol.img", 1 << 20, NGUID,
                UUID_TEXT, 0);
        Desired.Namespace extent = new Desired.Namespace(11, 2, BlockDeviceKind.EXTENT, "/dev/sdb", 1 << 20,
                NGUID.replace('0', '1'), UUID.nameUUIDFromBytes(new byte[] {2}).toString(), 4 << 20);
        reconciler.reconcile(List.of(withNamespaces(file, extent)), target);
        target.calls.clear();

        List<Observation> seen = reconciler.reconcile(List.of(withNamespaces(grown(file, 3 << 20), grown(extent, 2 << 20))),
                target);

        assertThat(target.calls).containsExactly("resizeNamespace " + NQN + " 1 " + (3 << 20),
                "resizeNamespace " + NQN + " 2 " + (2 << 20));
        assertThat(seen).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
        assertThat(target.subsystems.get(NQN).namespaces().get(2).offsetBytes()).isEqualTo(4 << 20);
        target.calls.clear();
        List<Observation> again = reconciler.reconcile(List.of(withNamespaces(grown(file, 3 << 20), grown(extent, 2 << 20))),
                target);
        assertThat(target.calls).as("the grown size is remembered: nothing to redo").isEmpty();
        assertThat(again).extracting(Observation::kind).doesNotContain(Kind.DRIFT);
    }

    @Test
    void a_resize_the_target_refuses_is_failed_in_words_keeps_the_namespace_and_is_retried() {
        Desired.Namespace namespace = ram(10, 1);
        reconciler.reconcile(List.of(withNamespaces(namespace)), target);
        target.failCallsStartingWith("resizeNamespace", RecordingTarget.ENOSPC);

        List<Observation> seen = reconciler.reconcile(List.of(withNamespaces(grown(namespace, 4 << 20))), target);

        assertThat(seen).filteredOn(o -> o.kind() == Kind.NAMESPACE).singleElement().satisfies(o -> {
            assertThat(o.state()).isEqualTo(ObservedState.FAILED);
            assertThat(o.error()).contains("Could not grow namespace 1 from 1048576 to 4194304 bytes")
                    .contains("hosts still see the old size");
        });
        assertThat(target.calls).noneMatch(call -> call.startsWith("removeNamespace"));
        assertThat(target.subsystems.get(NQN).namespaces()).containsKey(1);
        target.heal();
        target.calls.clear();

        List<Observation> retried = reconciler.reconcile(List.of(withNamespaces(grown(namespace, 4 << 20))), target);

        assertThat(target.calls).containsExactly("resizeNamespace " + NQN + " 1 " + (4 << 20));
        assertThat(retried).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
        assertThat(target.subsystems.get(NQN).namespaces().get(1).sizeBytes()).isEqualTo(4 << 20);
    }

    @Test
    void a_smaller_namespace_is_replaced_not_resized() {
        Desired.Namespace namespace = grown(ram(10, 1), 4 << 20);
        reconciler.reconcile(List.of(withNamespaces(namespace)), target);
        target.calls.clear();

        reconciler.reconcile(List.of(withNamespaces(ram(10, 1))), target);

        assertThat(target.calls).containsExactly("removeNamespace " + NQN + " 1", "addNamespace " + NQN + " 1");
    }

    @Test
    void a_new_target_instance_gets_everything_again() {
        reconciler.reconcile(List.of(full()), target);
        RecordingTarget restarted = new RecordingTarget();

        List<Observation> seen = reconciler.reconcile(List.of(full()), restarted);

        assertThat(seen).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
        assertThat(restarted.subsystems.get(NQN).namespaces()).containsOnlyKeys(1, 2);
    }

    @Test
    void without_a_running_target_everything_is_pending_with_the_reason() {
        List<Observation> seen = reconciler.reconcile(List.of(full()), null);

        assertThat(seen).hasSize(5).allSatisfy(o -> {
            assertThat(o.state()).isEqualTo(ObservedState.PENDING);
            assertThat(o.error()).isEqualTo(Reconciler.TARGET_DOWN);
        });
    }

    @Test
    void a_leftover_subsystem_of_the_same_name_is_replaced() {
        target.createSubsystem(NQN, "OLD", "Old", true);
        target.calls.clear();

        List<Observation> seen = reconciler.reconcile(List.of(full()), target);

        assertThat(seen).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
        assertThat(target.subsystems.get(NQN).serial()).isEqualTo("SER1");
    }

    @Test
    void a_mirrored_namespace_is_added_with_its_remote_leg_after_its_group_is_made_inaccessible_on_every_listener() {
        var listener = new Desired.Listener(20, "127.0.0.1", 4420);
        reconciler.reconcile(List.of(subsystem(true, List.of(), List.of(listener), List.of())), target);
        var remote = dev.windrose.dataplane.MirrorLeg.of("127.0.0.1", 4430, "nqn.2026-12.dev.windrose:replica:1:b", 1,
                "nqn.2026-12.dev.windrose:node:1");
        Desired.Namespace mirrored = new Desired.Namespace(10, 1, BlockDeviceKind.FILE, "/srv/leg-a.img", 1 << 20, NGUID,
                UUID_TEXT, 0, 2, remote);
        Desired.Subsystem withMirror = new Desired.Subsystem(1, NQN, "SER1", "Windrose", true, List.of(mirrored),
                List.of(listener), List.of(), java.util.Map.of(2, dev.windrose.dataplane.AnaState.INACCESSIBLE));
        target.calls.clear();

        List<Observation> seen = reconciler.reconcile(List.of(withMirror), target);

        assertThat(seen).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
        assertThat(target.calls).containsSubsequence(
                "setNewListenerAnaState " + NQN + " 2 INACCESSIBLE",
                "setListenerAnaState " + NQN + " 127.0.0.1:4420 2 INACCESSIBLE",
                "addMirroredNamespace " + NQN + " 1 -> nqn.2026-12.dev.windrose:replica:1:b");
        assertThat(target.subsystems.get(NQN).namespaces().get(1).anaGroup()).isEqualTo(2);
        assertThat(target.mirrors.get(NQN + "/1")).isEqualTo(remote);

        target.calls.clear();
        reconciler.reconcile(List.of(withMirror), target);
        assertThat(target.calls).as("a second pass re-applies nothing").noneMatch(
                call -> call.startsWith("setNewListenerAnaState") || call.startsWith("addMirroredNamespace"));

        // The leg turns current in the witness (startAlone follows it): the served namespace stays as it is.
        var current = new dev.windrose.dataplane.MirrorLeg(remote.address(), remote.port(), remote.subsystemNqn(),
                remote.nsid(), remote.hostNqn(), remote.timeout(), remote.regionBytes(), remote.resyncMibPerSecond(),
                remote.holdOnDegrade(), true, remote.bitmapPath());
        Desired.Subsystem nowCurrent = new Desired.Subsystem(1, NQN, "SER1", "Windrose", true, List.of(
                new Desired.Namespace(10, 1, BlockDeviceKind.FILE, "/srv/leg-a.img", 1 << 20, NGUID, UUID_TEXT, 0, 2,
                        current)),
                List.of(listener), List.of(), java.util.Map.of(2, dev.windrose.dataplane.AnaState.INACCESSIBLE));
        target.calls.clear();
        assertThat(reconciler.reconcile(List.of(nowCurrent), target)).extracting(Observation::state)
                .containsOnly(ObservedState.APPLIED);
        assertThat(target.calls).as("no remove and re-add when only startAlone changed").noneMatch(
                call -> call.startsWith("removeNamespace") || call.startsWith("addMirroredNamespace"));
    }
}
