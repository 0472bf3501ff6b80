package dev.windrose.fabric;

import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.SecretBox;
import dev.windrose.fabric.internal.AllowedHostEntity;
import dev.windrose.fabric.internal.AllowedHostRepository;
import dev.windrose.fabric.internal.SubsystemEntity;
import dev.windrose.fabric.internal.SubsystemRepository;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * DH-HMAC-CHAP for allowed hosts (issue 17): their secrets — generated here or pasted, sealed by the
 * {@link SecretBox} before they are stored, handed out once — rotations with a grace period in which the
 * previous secret is still accepted, and each subsystem's allowed hash functions and DH groups. Like every
 * fabric change these are desired state: the reconciler applies them to the dataplane after the commit.
 *
 * <p>Operators set them, as they allow hosts: a secret only narrows who may connect, and an operator can
 * already open a subsystem to any host.
 */
@Service
public class DhchapService {

    private static final Logger log = LoggerFactory.getLogger(DhchapService.class);
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(10);
    /** Long enough for a maintenance window over a day; a forgotten rotation does not keep two secrets for ever. */
    public static final Duration MAX_GRACE_PERIOD = Duration.ofHours(24);

    /** What becomes of the controller secret when the host secret is set. */
    public enum ControllerSecret {
        /** The one there is stays (or there stays none). */
        KEEP,
        /** None: the host cannot authenticate the target (unidirectional). */
        NONE,
        /** A new one is generated, of the same key length as a generated host secret. */
        GENERATE
    }

    /**
     * @param hostSecret a pasted secret; null to have one generated
     * @param keyLength bytes of a generated key: 32, 48 or 64 (32 when null)
     * @param gracePeriod how long the host secret it replaces stays accepted (0 to 24 h; 10 min when null)
     * @param controller what becomes of the controller secret (KEEP when null); ignored when controllerSecret
     *     is given
     * @param controllerSecret a pasted controller secret
     */
    public record SecretChange(@Nullable String hostSecret, @Nullable Integer keyLength, @Nullable Duration gracePeriod,
            @Nullable ControllerSecret controller, @Nullable String controllerSecret) {

        @Override
        public String toString() {
            return "SecretChange[" + (hostSecret == null ? "generate" : "pasted") + ", " + keyLength + ", " + gracePeriod
                    + ", " + (controllerSecret == null ? controller : "pasted controller secret") + "]";
        }
    }

    /**
     * What a change gave: the generated secrets, shown this once and never again (null for pasted ones, which
     * the user has), and the connect command carrying the secrets of this change.
     */
    public record SecretsIssued(SubsystemInfo subsystem, long allowedHostId, String hostNqn,
            @Nullable String hostSecret, @Nullable String controllerSecret, @Nullable Instant previousAcceptedUntil,
            ConnectCommands commands) {

        @Override
        public String toString() {
            return "SecretsIssued[" + hostNqn + "]";
        }
    }

    private final SubsystemRepository subsystems;
    private final AllowedHostRepository hosts;
    private final SecretBox secrets;
    private final FabricService fabric;
    private final AuditLog auditLog;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DhchapService(SubsystemRepository subsystems, AllowedHostRepository hosts, SecretBox secrets, FabricService fabric,
            AuditLog auditLog, ApplicationEventPublisher events, Clock clock) {
        this.subsystems = subsystems;
        this.hosts = hosts;
        this.secrets = secrets;
        this.fabric = fabric;
        this.auditLog = auditLog;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Sets or rotates the host's secrets. The first secret makes the host authenticate on its next connect
     * (connected queues stay); a new one replaces the one there is, which is still accepted for the grace
     * period. Throws InvalidInputException (400) for a malformed secret, a key length or grace period out of
     * range, or a controller secret equal to the host secret.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SecretsIssued setSecrets(SubsystemId id, long allowedHostId, SecretChange change) {
        SubsystemEntity subsystem = subsystem(id);
        AllowedHostEntity host = host(subsystem, allowedHostId);
        int keyLength = change.keyLength() == null ? DhchapSecret.DEFAULT_KEY_LENGTH : change.keyLength();
        Duration grace = change.gracePeriod() == null ? DEFAULT_GRACE_PERIOD : change.gracePeriod();
        if (grace.isNegative() || grace.compareTo(MAX_GRACE_PERIOD) > 0) {
            throw new InvalidInputException("gracePeriodMinutes", "The grace period is 0 to "
                    + MAX_GRACE_PERIOD.toMinutes() + " minutes, not " + grace.toMinutes() + ".");
        }
        boolean generated = change.hostSecret() == null;
        String hostSecret = generated ? DhchapSecret.generate(keyLength)
                : DhchapSecret.check("hostSecret", change.hostSecret());
        ControllerSecret mode = change.controller() == null ? ControllerSecret.KEEP : change.controller();
        boolean ctrlGenerated = change.controllerSecret() == null && mode == ControllerSecret.GENERATE;
        String ctrlSecret = change.controllerSecret() != null ? DhchapSecret.check("controllerSecret", change.controllerSecret())
                : ctrlGenerated ? DhchapSecret.generate(keyLength) : null;
        String kept = change.controllerSecret() == null && mode == ControllerSecret.KEEP && host.dhchapCtrlSecret() != null
                ? keptControllerSecret(host) : null;
        if (hostSecret.equals(ctrlSecret) || hostSecret.equals(kept)) {
            throw new InvalidInputException(ctrlSecret != null ? "controllerSecret" : "hostSecret", "The host secret "
                    + "and the controller secret must differ: a host could otherwise answer the target's challenge "
                    + "with the target's own response.");
        }
        Instant now = clock.instant();
        boolean rotation = host.dhchapSecret() != null;
        Instant previousUntil = rotation && !grace.isZero() ? now.plus(grace) : null;
        host.rotateHostSecret(secrets.seal(host.hostSecretPurpose(), hostSecret), now, previousUntil);
        String ctrlWords;
        if (ctrlSecret != null) {
            host.ctrlSecret(secrets.seal(host.ctrlSecretPurpose(), ctrlSecret), now);
            ctrlWords = ctrlGenerated ? "controller secret generated" : "controller secret pasted";
        } else if (mode == ControllerSecret.NONE && change.controllerSecret() == null) {
            ctrlWords = host.dhchapCtrlSecret() == null ? "no controller secret" : "controller secret removed";
            host.ctrlSecret(null, now);
        } else {
            ctrlWords = host.dhchapCtrlSecret() == null ? "no controller secret" : "controller secret kept";
        }
        host.observe(ObservedState.PENDING, null, now);
        String detail = "host " + host.hostNqn() + ": " + (generated ? "secret generated (" + keyLength + "-byte key)"
                : "secret pasted") + (rotation ? previousUntil == null ? ", the previous one no longer accepted"
                        : ", the previous one accepted until " + previousUntil : "") + ", " + ctrlWords;
        auditLog.record(rotation ? AuditAction.DHCHAP_SECRET_ROTATED : AuditAction.DHCHAP_SECRET_SET, subsystem.nqn(),
                detail);
        changed(subsystem);
        ShownSecrets shown = new ShownSecrets(hostSecret, ctrlSecret);
        return new SecretsIssued(fabric.get(id), host.id(), host.hostNqn(), generated ? hostSecret : null,
                ctrlGenerated ? ctrlSecret : null, previousUntil, fabric.connectCommands(id, host.hostNqn(), shown));
    }

    /** The host connects without authentication again; its secrets are gone (connected queues stay). */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo clearSecrets(SubsystemId id, long allowedHostId) {
        SubsystemEntity subsystem = subsystem(id);
        AllowedHostEntity host = host(subsystem, allowedHostId);
        if (host.dhchapSecret() != null || host.dhchapCtrlSecret() != null) {
            host.clearDhchap();
            host.observe(ObservedState.PENDING, null, clock.instant());
            auditLog.record(AuditAction.DHCHAP_SECRET_CLEARED, subsystem.nqn(), "host " + host.hostNqn()
                    + ": connects without authentication");
            changed(subsystem);
        }
        return fabric.get(id);
    }

    /** Which hash functions and DH groups hosts may use; 400 when either list is empty. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public SubsystemInfo setPolicy(SubsystemId id, Set<DhchapPolicy.Hash> hashes, Set<DhchapPolicy.DhGroup> dhGroups) {
        SubsystemEntity subsystem = subsystem(id);
        DhchapPolicy policy = DhchapPolicy.of(hashes, dhGroups);
        if (policy.hashMask() != subsystem.dhchapHashes() || policy.dhGroupMask() != subsystem.dhchapDhGroups()) {
            DhchapPolicy before = DhchapPolicy.fromMasks(subsystem.dhchapHashes(), subsystem.dhchapDhGroups());
            subsystem.dhchapPolicy(policy.hashMask(), policy.dhGroupMask());
            subsystem.observe(ObservedState.PENDING, null, clock.instant());
            auditLog.record(AuditAction.DHCHAP_POLICY_CHANGED, subsystem.nqn(), "hashes " + before.hashes() + " → "
                    + policy.hashes() + ", DH groups " + before.dhGroups() + " → " + policy.dhGroups());
            changed(subsystem);
        }
        return fabric.get(id);
    }

    /**
     * Ends the grace periods that are over: the previous secrets are removed from the database and the
     * reconciler, told of the change, calls the dataplane without them. (A pass in between drops them
     * already: it passes a previous secret only while its grace period lasts.) A restart loses nothing: the
     * end is a time in the database.
     */
    @Scheduled(fixedDelayString = "${windrose.fabric.dhchap-grace-check:PT5S}",
            initialDelayString = "${windrose.fabric.dhchap-grace-check:PT5S}")
    @Transactional
    public void endGracePeriods() {
        Instant now = clock.instant();
        Set<Long> changedSubsystems = new HashSet<>();
        List<String> ended = new ArrayList<>();
        for (AllowedHostEntity host : hosts.findByDhchapPreviousUntilLessThanEqual(now)) {
            if (host.endGrace(now)) {
                changedSubsystems.add(host.subsystemId());
                ended.add(host.hostNqn());
            }
        }
        if (!ended.isEmpty()) {
            log.info("Rotation grace period over: the previous DH-HMAC-CHAP secret of {} is no longer accepted", ended);
            changedSubsystems.forEach(subsystem -> events.publishEvent(new FabricChanged(new SubsystemId(subsystem))));
        }
    }

    private String keptControllerSecret(AllowedHostEntity host) {
        try {
            return secrets.open(host.ctrlSecretPurpose(), String.valueOf(host.dhchapCtrlSecret()));
        } catch (SecretBox.UnreadableSecretException e) {
            throw new InvalidInputException("controller", "The stored controller secret cannot be read on this node ("
                    + e.getMessage() + "): generate or paste a new one, or remove it.");
        }
    }

    private void changed(SubsystemEntity subsystem) {
        events.publishEvent(new FabricChanged(new SubsystemId(subsystem.id())));
    }

    private SubsystemEntity subsystem(SubsystemId id) {
        return subsystems.findById(id.value())
                .orElseThrow(() -> new NotFoundException("There is no subsystem with id " + id + "."));
    }

    private AllowedHostEntity host(SubsystemEntity subsystem, long allowedHostId) {
        return hosts.findById(allowedHostId).filter(h -> h.subsystemId() == subsystem.id())
                .orElseThrow(() -> new NotFoundException("Subsystem " + subsystem.nqn() + " has no allowed host "
                        + allowedHostId + "."));
    }
}
