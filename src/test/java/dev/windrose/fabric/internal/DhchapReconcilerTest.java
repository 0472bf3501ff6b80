package dev.windrose.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.common.SecretBox;
import dev.windrose.fabric.ObservedState;
import dev.windrose.fabric.internal.Observation.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.util.ReflectionTestUtils;

/** DH-HMAC-CHAP (issue 17) through the reconciler: secrets, rotation with its grace period, policy, failing closed. */
class DhchapReconcilerTest {

    static final String NQN = ReconcilerTest.NQN;
    static final String HOST = ReconcilerTest.HOST;
    static final String A = "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:";
    static final String B = dev.windrose.fabric.DhchapSecret.generate(48);
    static final String C = dev.windrose.fabric.DhchapSecret.generate(32);
    static final Instant T0 = Instant.parse("2026-12-07T20:00:00Z");

    final Reconciler reconciler = new Reconciler();
    final RecordingTarget target = new RecordingTarget();
    @TempDir
    Path dataDir;

    static Desired.Subsystem with(Desired.Host host) {
        return with(host, Desired.Subsystem.ALL_HASHES, Desired.Subsystem.ALL_GROUPS);
    }

    static Desired.Subsystem with(Desired.Host host, int hashes, int groups) {
        return new Desired.Subsystem(1, NQN, "SER1", "Windrose", false, List.of(), List.of(), List.of(host), Map.of(),
                hashes, groups);
    }

    static Desired.Host host(Desired.Dhchap dhchap) {
        return new Desired.Host(30, HOST, dhchap, null);
    }

    @Test
    void the_dataplane_receives_the_host_previous_and_controller_secrets_once() {
        List<Observation> seen = reconciler.reconcile(List.of(with(host(new Desired.Dhchap(B, A, C)))), target);

        assertThat(seen).extracting(Observation::state).containsOnly(ObservedState.APPLIED);
        assertThat(target.dhchap).containsEntry(NQN + " " + HOST, new RecordingTarget.Secrets(B, A, C));
        assertThat(target.calls).containsSubsequence("allowHost " + NQN + " " + HOST,
                "setHostDhchap " + NQN + " " + HOST + " host=" + B + " prev=" + A + " ctrl=" + C);
        target.calls.clear();

        reconciler.reconcile(List.of(with(host(new Desired.Dhchap(B, A, C)))), target);
        assertThat(target.calls).as("nothing changed, nothing to set").isEmpty();
    }

    @Test
    void a_rotation_passes_the_previous_secret_until_the_grace_period_ends_and_then_drops_it_even_after_a_restart() {
        SecretBox box = new SecretBox(dataDir.resolve(SecretBox.KEY_FILE_NAME));
        AllowedHostEntity entity = new AllowedHostEntity(1, HOST);
        ReflectionTestUtils.setField(entity, "id", 30L);
        entity.rotateHostSecret(box.seal(entity.hostSecretPurpose(), A), T0, null);
        entity.ctrlSecret(box.seal(entity.ctrlSecretPurpose(), C), T0);
        Instant rotatedAt = T0.plus(Duration.ofDays(1));
        entity.rotateHostSecret(box.seal(entity.hostSecretPurpose(), B), rotatedAt, rotatedAt.plus(Duration.ofMinutes(10)));

        reconciler.reconcile(List.of(with(FabricReconciliation.desiredHost(entity, box, rotatedAt.plusSeconds(60)))), target);
        assertThat(target.dhchap.get(NQN + " " + HOST)).as("within the grace period: old and new accepted")
                .isEqualTo(new RecordingTarget.Secrets(B, A, C));

        Instant after = rotatedAt.plus(Duration.ofMinutes(10)).plusSeconds(1);
        reconciler.reconcile(List.of(with(FabricReconciliation.desiredHost(entity, box, after))), target);
        assertThat(target.dhchap.get(NQN + " " + HOST)).as("after it: only the new one")
                .isEqualTo(new RecordingTarget.Secrets(B, null, C));

        // A restarted application (a new reconciler, a fresh target) reads the same row: the old secret stays out.
        Reconciler restarted = new Reconciler();
        RecordingTarget fresh = new RecordingTarget();
        restarted.reconcile(List.of(with(FabricReconciliation.desiredHost(entity, box, after))), fresh);
        assertThat(fresh.dhchap.get(NQN + " " + HOST)).isEqualTo(new RecordingTarget.Secrets(B, null, C));

        assertThat(entity.endGrace(rotatedAt.plusSeconds(60))).as("not over yet").isFalse();
        assertThat(entity.endGrace(after)).isTrue();
        assertThat(entity.dhchapPreviousSecret()).isNull();
        assertThat(entity.dhchapPreviousUntil()).isNull();
    }

    @Test
    void secrets_are_stored_sealed_for_their_host_and_never_in_clear() {
        SecretBox box = new SecretBox(dataDir.resolve(SecretBox.KEY_FILE_NAME));
        AllowedHostEntity entity = new AllowedHostEntity(1, HOST);
        ReflectionTestUtils.setField(entity, "id", 30L);
        entity.rotateHostSecret(box.seal(entity.hostSecretPurpose(), A), T0, null);
        assertThat(entity.dhchapSecret()).doesNotContain("DHHC").startsWith("sb1:");

        AllowedHostEntity other = new AllowedHostEntity(1, HOST + "x");
        ReflectionTestUtils.setField(other, "id", 31L);
        other.rotateHostSecret(entity.dhchapSecret(), T0, null); // copied into another host's row
        Desired.Host refused = FabricReconciliation.desiredHost(other, box, T0);
        assertThat(refused.dhchap()).isNull();
        assertThat(refused.refusal()).contains("cannot be read on this node").doesNotContain("DHHC");

        List<Observation> seen = reconciler.reconcile(List.of(with(refused)), target);
        assertThat(target.subsystems.get(NQN).hosts()).as("refused, never allowed without its secret").isEmpty();
        assertThat(seen).filteredOn(o -> o.kind() == Kind.HOST).singleElement()
                .satisfies(o -> assertThat(o.state()).isEqualTo(ObservedState.FAILED));
    }

    @Test
    void clearing_the_secrets_lets_the_host_connect_without_authentication_again() {
        reconciler.reconcile(List.of(with(host(new Desired.Dhchap(A, null, null)))), target);
        assertThat(target.dhchap).containsKey(NQN + " " + HOST);

        reconciler.reconcile(List.of(with(new Desired.Host(30, HOST))), target);

        assertThat(target.dhchap).isEmpty();
        assertThat(target.subsystems.get(NQN).hosts()).containsExactly(HOST);
        assertThat(target.calls).contains("setHostDhchap " + NQN + " " + HOST + " host=null prev=null ctrl=null");
    }

    @Test
    void a_host_whose_first_secret_the_dataplane_refuses_is_disallowed_not_let_in_without() {
        // The target refuses a controller secret equal to the host secret (EINVAL), as the C target does.
        List<Observation> seen = reconciler.reconcile(List.of(with(host(new Desired.Dhchap(A, null, A)))), target);

        assertThat(target.subsystems.get(NQN).hosts()).isEmpty();
        assertThat(seen).filteredOn(o -> o.kind() == Kind.HOST).singleElement().satisfies(o -> {
            assertThat(o.state()).isEqualTo(ObservedState.FAILED);
            assertThat(o.error()).contains("refused until they are set").doesNotContain("DHHC");
        });
    }

    @Test
    void a_failed_rotation_keeps_the_host_allowed_with_the_secrets_it_had() {
        reconciler.reconcile(List.of(with(host(new Desired.Dhchap(A, null, null)))), target);
        target.failCallsStartingWith("setHostDhchap", RecordingTarget.EINVAL);

        List<Observation> seen = reconciler.reconcile(List.of(with(host(new Desired.Dhchap(B, A, null)))), target);

        assertThat(target.subsystems.get(NQN).hosts()).containsExactly(HOST);
        assertThat(target.dhchap.get(NQN + " " + HOST)).isEqualTo(new RecordingTarget.Secrets(A, null, null));
        assertThat(seen).filteredOn(o -> o.kind() == Kind.HOST).singleElement()
                .satisfies(o -> assertThat(o.state()).isEqualTo(ObservedState.FAILED));

        target.heal();
        reconciler.reconcile(List.of(with(host(new Desired.Dhchap(B, A, null)))), target);
        assertThat(target.dhchap.get(NQN + " " + HOST)).as("retried at the next pass")
                .isEqualTo(new RecordingTarget.Secrets(B, A, null));
    }

    @Test
    void a_host_that_vanished_from_the_dataplane_comes_back_with_its_secrets() {
        reconciler.reconcile(List.of(with(host(new Desired.Dhchap(A, null, C)))), target);
        target.subsystems.get(NQN).hosts().clear();
        target.dhchap.clear();

        reconciler.reconcile(List.of(with(host(new Desired.Dhchap(A, null, C)))), target);

        assertThat(target.subsystems.get(NQN).hosts()).containsExactly(HOST);
        assertThat(target.dhchap.get(NQN + " " + HOST)).isEqualTo(new RecordingTarget.Secrets(A, null, C));
    }

    @Test
    void the_policy_is_set_when_it_differs_from_the_default_and_again_only_when_it_changes() {
        reconciler.reconcile(List.of(with(new Desired.Host(30, HOST))), target);
        assertThat(target.calls).noneMatch(call -> call.startsWith("setDhchapPolicy"));

        reconciler.reconcile(List.of(with(new Desired.Host(30, HOST), 1 << 3, 1 << 5)), target);
        assertThat(target.dhchapPolicies.get(NQN)).containsExactly(1 << 3, 1 << 5);
        target.calls.clear();
        reconciler.reconcile(List.of(with(new Desired.Host(30, HOST), 1 << 3, 1 << 5)), target);
        assertThat(target.calls).isEmpty();
    }

    @Test
    void the_secrets_never_show_in_the_desired_state_as_text() {
        Desired.Subsystem subsystem = with(host(new Desired.Dhchap(B, A, C)));
        assertThat(subsystem.toString()).doesNotContain("DHHC").contains("previous host secret");
    }
}
