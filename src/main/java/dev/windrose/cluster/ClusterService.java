package dev.windrose.cluster;

import dev.windrose.cluster.internal.JoinTokenEntity;
import dev.windrose.cluster.internal.JoinTokenRepository;
import dev.windrose.cluster.internal.JoinTokenSecrets;
import dev.windrose.cluster.internal.LocalMembership;
import dev.windrose.cluster.internal.ClusterMemberEntity;
import dev.windrose.cluster.internal.ClusterMemberRepository;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.PosixShell;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.inventory.HostState;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The cluster's nodes: who is a member, who asks to join; accepting, renaming and removing nodes; join
 * tokens for unattended installs. Reads need VIEWER, changes ADMIN; every change is audited.
 */
@Service
public class ClusterService {

    static final int MAX_NODES_LISTED = 500;
    static final Duration MIN_TOKEN_VALIDITY = Duration.ofMinutes(5);
    static final Duration MAX_TOKEN_VALIDITY = Duration.ofDays(30);

    private final HostService hosts;
    private final ClusterMemberRepository members;
    private final JoinTokenRepository tokens;
    private final LocalMembership localMembership;
    private final ObjectProvider<NodeUsage> usages;
    private final AuditLog auditLog;
    private final Environment environment;
    private final Clock clock;
    private final ObjectProvider<SecurityContextHolderStrategy> securityContexts;

    ClusterService(HostService hosts, ClusterMemberRepository members, JoinTokenRepository tokens,
            LocalMembership localMembership, ObjectProvider<NodeUsage> usages, AuditLog auditLog,
            Environment environment, Clock clock, ObjectProvider<SecurityContextHolderStrategy> securityContexts) {
        this.securityContexts = securityContexts;
        this.hosts = hosts;
        this.members = members;
        this.tokens = tokens;
        this.localMembership = localMembership;
        this.usages = usages;
        this.auditLog = auditLog;
        this.environment = environment;
        this.clock = clock;
    }

    /** Every node, members first, then by name. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<NodeInfo> nodes() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (HostInfo host : hosts.list(PageRequest.of(0, MAX_NODES_LISTED)).getContent()) {
            members.findById(host.id().value()).ifPresent(member -> nodes.add(info(host, member)));
        }
        nodes.sort((a, b) -> a.membership() != b.membership() ? b.membership().compareTo(a.membership())
                : a.name().compareToIgnoreCase(b.name()));
        return nodes;
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public NodeInfo node(HostId id) {
        return info(hosts.get(id), member(id));
    }

    /** Lets a node that asks to join in; it starts serving within seconds (it rereads its membership). */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public NodeInfo accept(HostId id) {
        HostInfo host = hosts.get(id);
        ClusterMemberEntity member = member(id);
        if (member.state() == Membership.MEMBER) {
            return info(host, member);
        }
        members.acceptNode(id.value(), actor(), clock.instant());
        auditLog.record(AuditAction.NODE_ACCEPTED, host.name(), "machine " + host.machineId());
        return info(host, member(id));
    }

    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public NodeInfo rename(HostId id, String name) {
        String before = hosts.get(id).name();
        HostInfo renamed = hosts.rename(id, name);
        auditLog.record(AuditAction.NODE_RENAMED, renamed.name(), "was " + before);
        return info(renamed, member(id));
    }

    /**
     * Removes a node from the cluster (or turns away one that asks to join). Refused for the node serving
     * this request, for a member that is still online (stop it first), and while the node holds pools or
     * serves listeners: those are named, so the administrator knows what to move or delete first.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public void remove(HostId id) {
        HostInfo host = hosts.get(id);
        ClusterMemberEntity member = member(id);
        if (host.local()) {
            throw new ConflictException("Node " + host.name() + " is the node serving this console. Sign in on "
                    + "another node to remove it.");
        }
        if (member.state() == Membership.MEMBER && host.state() == HostState.ONLINE) {
            throw new ConflictException("Node " + host.name() + " is online. Stop Windrose on it first, then "
                    + "remove it.");
        }
        List<String> holds = holds(id);
        if (!holds.isEmpty()) {
            throw new ConflictException("Node " + host.name() + " still has " + String.join(", ", holds)
                    + ". Delete or move them first.");
        }
        hosts.forget(id);
        auditLog.record(AuditAction.NODE_REMOVED, host.name(), member.state() == Membership.ASKING
                ? "turned away while asking to join" : "removed from the cluster");
    }

    /** A join token, valid for {@code validity}; its secret is in the answer only. */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public CreatedJoinToken createJoinToken(Duration validity) {
        if (validity.compareTo(MIN_TOKEN_VALIDITY) < 0 || validity.compareTo(MAX_TOKEN_VALIDITY) > 0) {
            throw new InvalidInputException("validity", "A join token is valid for 5 minutes to 30 days.");
        }
        Instant now = clock.instant();
        String secret = JoinTokenSecrets.generate();
        JoinTokenEntity token = tokens.save(new JoinTokenEntity(JoinTokenSecrets.hash(secret), actor(), now,
                now.plus(validity)));
        auditLog.record(AuditAction.JOIN_TOKEN_CREATED, "join token " + token.id(), "valid until "
                + token.expiresAt());
        return new CreatedJoinToken(token.id(), secret, token.expiresAt(), joinCommand(secret));
    }

    /** What to run on a new server so that it joins this cluster (asking, or with the token given). */
    @PreAuthorize(Role.Expressions.VIEWER)
    public JoinCommand joinCommand() {
        return new JoinCommand(clustered(), joinCommand(null));
    }

    /** Whether this node may reconcile its slice and run cluster jobs (false while it asks to join). */
    public boolean localIsMember() {
        return localMembership.isMember();
    }

    private boolean clustered() {
        return environment.getProperty("spring.datasource.url", "").startsWith("jdbc:postgresql:");
    }

    private String joinCommand(@Nullable String secret) {
        String url = clustered() ? environment.getProperty("spring.datasource.url", "")
                : "jdbc:postgresql://<database host>:5432/<database>";
        String user = environment.getProperty("spring.datasource.username", "windrose");
        StringBuilder command = new StringBuilder("SPRING_PROFILES_ACTIVE=postgres WINDROSE_DB_URL=")
                .append(PosixShell.quote(url)).append(" WINDROSE_DB_USER=").append(PosixShell.quote(user))
                .append(" WINDROSE_DB_PASSWORD='<the database password>'");
        if (secret != null) {
            command.append(" WINDROSE_CLUSTER_JOIN_TOKEN=").append(PosixShell.quote(secret));
        }
        return command.append(" ./run.sh").toString();
    }

    private List<String> holds(HostId id) {
        List<String> holds = new ArrayList<>();
        usages.orderedStream().forEach(usage -> holds.addAll(usage.heldOn(id)));
        return holds;
    }

    private ClusterMemberEntity member(HostId id) {
        return members.findById(id.value())
                .orElseThrow(() -> new NotFoundException("Host " + id + " is not a node of the cluster."));
    }

    private NodeInfo info(HostInfo host, ClusterMemberEntity member) {
        return new NodeInfo(host.id(), host.name(), host.machineId(), host.addresses(), member.state(), host.state(),
                host.lastHeartbeatAt(), host.local(), member.askedAt(), member.acceptedAt(), member.acceptedBy(),
                holds(host.id()));
    }

    /** Who acts: read through this application's strategy bean (the JVM-wide holder may be another's). */
    private String actor() {
        var authentication = securityContexts.getIfAvailable(SecurityContextHolder::getContextHolderStrategy)
                .getContext().getAuthentication();
        return authentication == null ? AuditLog.SYSTEM_ACTOR : authentication.getName();
    }
}
