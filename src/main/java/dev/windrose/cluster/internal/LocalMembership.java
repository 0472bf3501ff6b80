package dev.windrose.cluster.internal;

import dev.windrose.dataplane.ControllerIdRange;
import dev.windrose.dataplane.EmbeddedTarget;

import dev.windrose.cluster.Membership;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This node's membership: decided when it starts (the first node of an empty database founds the
 * cluster; a node with a valid join token joins; any other asks and waits for an administrator), then
 * reread every few seconds, because an administrator accepts or removes it from any node.
 */
@Component
public class LocalMembership {

    private static final Logger log = LoggerFactory.getLogger(LocalMembership.class);
    /** Actor recorded for a node that founded the cluster or joined with a token. */
    static final String FOUNDER = "first node";

    private final HostService hosts;
    private final ClusterMemberRepository members;
    private final JoinTokenRepository tokens;
    private final JdbcLockRegistry locks;
    private final AuditLog auditLog;
    private final ClusterProperties properties;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final EmbeddedTarget target;
    private volatile @Nullable Membership current;
    private volatile boolean removed;

    LocalMembership(HostService hosts, ClusterMemberRepository members, JoinTokenRepository tokens, JdbcLockRegistry locks,
            AuditLog auditLog, ClusterProperties properties, Clock clock, PlatformTransactionManager transactionManager,
            EmbeddedTarget target) {
        this.target = target;
        this.hosts = hosts;
        this.members = members;
        this.tokens = tokens;
        this.locks = locks;
        this.auditLog = auditLog;
        this.properties = properties;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Right after inventory registered the host (order 0), before anything reconciles. */
    @EventListener(ApplicationStartedEvent.class)
    @Order(1)
    public void joinAtStart() {
        HostInfo local = hosts.local();
        Lock lock = locks.obtain("membership");
        try {
            if (!lock.tryLock(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not take the cluster's membership lock within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining the cluster", e);
        }
        Integer slot;
        try {
            current = transactions.execute(status -> decide(local));
            slot = transactions.execute(status -> cntlidSlot(local.id().value()));
        } finally {
            lock.unlock();
        }
        useControllerIds(slot);
        if (current == Membership.ASKING) {
            log.warn("Node {} ({}) asks to join the cluster. An administrator accepts it on any member's console "
                    + "(Hosts) or REST (POST /api/v1/cluster/nodes/{}/accept); or start it with "
                    + "WINDROSE_CLUSTER_JOIN_TOKEN set to a join token. Until then it serves nothing.",
                    local.name(), local.machineId(), local.id().value());
        } else {
            log.info("Node {} is a member of the cluster.", local.name());
        }
    }

    private Membership decide(HostInfo local) {
        long hostId = local.id().value();
        Instant now = clock.instant();
        ClusterMemberEntity member = members.findById(hostId).orElse(null);
        if (member != null && member.state() == Membership.MEMBER) {
            return Membership.MEMBER;
        }
        boolean founding = member == null && members.countByState(Membership.MEMBER) == 0;
        if (member == null) {
            member = members.save(new ClusterMemberEntity(hostId, now));
        }
        if (founding) {
            member.accept(FOUNDER, now);
            auditLog.record(AuditLog.SYSTEM_ACTOR, AuditAction.NODE_FOUNDED_CLUSTER, local.name(),
                    "the first node of this database", null);
            return Membership.MEMBER;
        }
        JoinTokenEntity token = validToken(now);
        if (token != null) {
            token.use(hostId, now);
            member.accept("join token " + token.id(), now);
            auditLog.record(AuditLog.SYSTEM_ACTOR, AuditAction.NODE_JOINED_WITH_TOKEN, local.name(),
                    "join token " + token.id(), null);
            return Membership.MEMBER;
        }
        auditLog.record(AuditLog.SYSTEM_ACTOR, AuditAction.NODE_ASKED_TO_JOIN, local.name(),
                "machine " + local.machineId() + ", addresses " + String.join(" ", local.addresses()), null);
        return Membership.ASKING;
    }

    /** The node's controller-ID slot, given under the membership lock the first time it registers. */
    private @Nullable Integer cntlidSlot(long hostId) {
        ClusterMemberEntity member = members.findById(hostId).orElseThrow();
        if (member.cntlidSlot() == null) {
            ControllerIds.free(members.takenCntlidSlots()).ifPresent(member::giveCntlidSlot);
        }
        return member.cntlidSlot();
    }

    /**
     * Hands the dataplane this node's slice of the controller IDs, unless an administrator narrowed the
     * range (windrose.dataplane.target.cntlid-min/-max), which then must not overlap another node's.
     */
    private void useControllerIds(@Nullable Integer slot) {
        if (!target.controllerIdRange().equals(ControllerIdRange.ALL)) {
            log.info("Controller IDs {}..{} come from windrose.dataplane.target.cntlid-min/-max, not from the cluster.",
                    target.controllerIdRange().min(), target.controllerIdRange().max());
            return;
        }
        if (slot == null) {
            log.warn("Every controller-ID slot is taken ({} nodes): this node hands out the full range, so a host "
                    + "reaching one subsystem through it and another node may be refused.", ControllerIds.SLOTS);
            return;
        }
        target.setControllerIdRange(ControllerIds.of(slot));
    }

    private @Nullable JoinTokenEntity validToken(Instant now) {
        String secret = properties.joinToken();
        if (secret == null || secret.isBlank()) {
            return null;
        }
        JoinTokenEntity token = tokens.findByTokenHash(JoinTokenSecrets.hash(secret.strip())).orElse(null);
        if (token == null || !token.usableAt(now)) {
            log.warn("The join token given to this node is unknown, used or expired: it asks to join instead.");
            return null;
        }
        return token;
    }

    /** Picks up an acceptance or a removal made on another node. */
    @Scheduled(fixedDelayString = "${windrose.cluster.membership-refresh:PT2S}",
            initialDelayString = "${windrose.cluster.membership-refresh:PT2S}")
    void refresh() {
        if (current == null || removed) {
            return;
        }
        try {
            HostId local = hosts.local().id();
            Membership now = transactions.execute(status -> members.findById(local.value())
                    .map(ClusterMemberEntity::state).orElse(null));
            if (now == null) {
                removed = true;
                current = Membership.ASKING;
                log.warn("This node was removed from the cluster by an administrator; it serves nothing until it is "
                        + "restarted and accepted again.");
            } else if (now != current) {
                log.info("This node's membership changed from {} to {}.", current, now);
                current = now;
            }
        } catch (RuntimeException e) {
            // The database may be away: keep serving what was decided, try again at the next refresh.
            log.debug("Could not reread this node's membership", e);
        }
    }

    /** Whether this node may reconcile and run cluster jobs. */
    public boolean isMember() {
        return current == Membership.MEMBER;
    }

    public @Nullable Membership current() {
        return current;
    }
}
