package dev.windrose.cluster;

import dev.windrose.cluster.NodeRequestInfo.State;
import dev.windrose.cluster.internal.ClusterMemberRepository;
import dev.windrose.cluster.internal.NodeRequestEntity;
import dev.windrose.cluster.internal.NodeRequestRepository;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.inventory.HostState;
import dev.windrose.security.Role;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changes for another node (issue 15). A pool, a volume or a listener lives on one node, and only that node
 * can make it real (its directories, disks and ports). A console on any node asks through the database:
 * it writes the request and raises the node's signal; the node carries it out as the person who asked, in
 * one transaction with the outcome; the asking console waits a few seconds for that outcome and answers
 * as if it had done the change itself, or with 202 and the request to follow when the node is slow.
 *
 * <p>No node talks to another directly: PostgreSQL is the only channel, as for everything the nodes share.
 */
@Service
public class NodeRequests {

    private static final Duration POLL = Duration.ofMillis(100);
    static final int MAX_LISTED = 200;

    private final NodeRequestRepository requests;
    private final ClusterSignals clusterSignals;
    private final ClusterMemberRepository members;
    private final HostService hosts;
    private final JsonMapper json;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ObjectProvider<SecurityContextHolderStrategy> securityContexts;
    private final Duration wait;
    private final Duration validity;

    NodeRequests(NodeRequestRepository requests, ClusterSignals clusterSignals, ClusterMemberRepository members,
            HostService hosts, JsonMapper json, PlatformTransactionManager transactionManager, Clock clock,
            ObjectProvider<SecurityContextHolderStrategy> securityContexts,
            @Value("${windrose.cluster.request-wait:PT10S}") Duration wait,
            @Value("${windrose.cluster.request-validity:PT2M}") Duration validity) {
        this.requests = requests;
        this.clusterSignals = clusterSignals;
        this.members = members;
        this.hosts = hosts;
        this.json = json;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.securityContexts = securityContexts;
        this.wait = wait;
        this.validity = validity;
    }

    /** Whether the object's node is this one (then the feature acts itself, as before there were nodes). */
    @PreAuthorize(Role.Expressions.VIEWER)
    public boolean isLocal(HostId node) {
        return hosts.local().id().equals(node);
    }

    /**
     * Asks the node to carry out the change and waits (windrose.cluster.request-wait) for its outcome.
     * Refused at once, with nothing written, when the node is offline or not a member.
     */
    @PreAuthorize(Role.Expressions.OPERATOR)
    public NodeRequestInfo ask(HostId node, String kind, Object body) {
        HostInfo target = available(node);
        String text = json.writeValueAsString(body);
        if (text.length() > NodeRequestEntity.MAX_BODY) {
            throw new InvalidInputException("body", "The request is too large to pass to another node.");
        }
        Authentication who = authentication();
        Instant now = clock.instant();
        long from = hosts.local().id().value();
        Long id = transactions.execute(status -> {
            NodeRequestEntity saved = requests.save(new NodeRequestEntity(node.value(), kind, text, who.getName(),
                    highestRole(who).name(), from, now, now.plus(validity)));
            clusterSignals.signal(node.value());
            return saved.id();
        });
        return awaitOutcome(java.util.Objects.requireNonNull(id), target.name());
    }

    /**
     * For the console: asks the node and returns the request once carried out; the node's refusal is thrown
     * as the local call would throw it (prefixed with the node's name), a node that has not answered in
     * time as {@link NodeRequestPendingException}.
     */
    @PreAuthorize(Role.Expressions.OPERATOR)
    public NodeRequestInfo carriedOut(HostId node, String kind, Object body) {
        NodeRequestInfo outcome = ask(node, kind, body);
        if (outcome.state() == State.PENDING) {
            throw new NodeRequestPendingException(outcome);
        }
        answer(outcome, HttpStatus.OK); // throws for FAILED and EXPIRED
        return outcome;
    }

    /** The id of what a carried-out request created (its answer's "id"). */
    public long createdId(NodeRequestInfo done) {
        return json.readTree(java.util.Objects.requireNonNull(done.result(), "the request answered nothing"))
                .get("id").asLong();
    }

    @PreAuthorize(Role.Expressions.VIEWER)
    public NodeRequestInfo get(long id) {
        return transactions.execute(status -> requests.findById(id).map(this::info))
                .orElseThrow(() -> new NotFoundException("There is no node request with id " + id + "."));
    }

    /** The newest requests first. */
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<NodeRequestInfo> recent(int limit) {
        int size = Math.clamp(limit, 1, MAX_LISTED);
        return transactions.execute(status -> requests.findAllByOrderByIdDesc(PageRequest.of(0, size)).stream()
                .map(this::info).toList());
    }

    /**
     * The REST answer for a request's outcome: the node's own answer with the success status when done; the
     * node's refusal as the same problem a local call gives (prefixed with the node's name) when failed;
     * 202 with the request (and its Location) while the node has not answered.
     */
    public ResponseEntity<Object> answer(NodeRequestInfo outcome, HttpStatus success) {
        String on = "On node " + outcome.nodeName() + ": ";
        return switch (outcome.state()) {
            case DONE -> outcome.result() == null ? ResponseEntity.status(success).build()
                    : ResponseEntity.status(success).body(json.readTree(outcome.result()));
            case PENDING -> ResponseEntity.accepted().location(URI.create("/api/v1/cluster/requests/" + outcome.id()))
                    .body(outcome);
            case EXPIRED -> throw new NodeUnavailableException(on + "the node did not carry out the change in time; "
                    + "nothing was changed. Check that it is online and try again.");
            case FAILED -> throw refusal(outcome, on + outcome.errorDetail());
        };
    }

    private static RuntimeException refusal(NodeRequestInfo outcome, String detail) {
        int status = outcome.errorStatus() == null ? 500 : outcome.errorStatus();
        return switch (status) {
            case 400 -> new InvalidInputException(outcome.errorField() == null ? "request" : outcome.errorField(), detail);
            case 403 -> new AccessDeniedException(detail);
            case 404 -> new NotFoundException(detail);
            case 409 -> new ConflictException(detail);
            default -> new NodeRequestFailedException(detail);
        };
    }

    private HostInfo available(HostId node) {
        HostInfo target = hosts.get(node);
        boolean member = transactions.execute(status -> members.findById(node.value())
                .map(m -> m.state() == Membership.MEMBER).orElse(false));
        if (!member) {
            throw new NodeUnavailableException("Node " + target.name() + " is not a member of the cluster; accept it "
                    + "on the Nodes page first.");
        }
        if (target.state() == HostState.OFFLINE) {
            throw new NodeUnavailableException("Node " + target.name() + " is offline (last heartbeat "
                    + target.lastHeartbeatAt() + "): it cannot make the change now. Nothing was changed; try again "
                    + "when it is back.");
        }
        return target;
    }

    private NodeRequestInfo awaitOutcome(long id, String nodeName) {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            NodeRequestInfo now = get(id);
            if (now.state() != State.PENDING || !clock.instant().isBefore(deadline)) {
                return now;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
        }
    }

    private NodeRequestInfo info(NodeRequestEntity request) {
        State state = request.state() == State.PENDING && clock.instant().isAfter(request.expiresAt())
                ? State.EXPIRED : request.state();
        String nodeName = nameOf(new HostId(request.hostId()));
        return new NodeRequestInfo(request.id(), new HostId(request.hostId()), nodeName, request.kind(),
                request.actor(), state, request.result(), request.errorStatus(), request.errorField(),
                request.errorDetail(), request.createdAt(), request.expiresAt(), request.finishedAt());
    }

    private Authentication authentication() {
        Authentication who = securityContexts.getIfAvailable(SecurityContextHolder::getContextHolderStrategy)
                .getContext().getAuthentication();
        if (who == null) {
            throw new AccessDeniedException("Sign in to change another node.");
        }
        return who;
    }

    private static Role highestRole(Authentication who) {
        List<String> granted = who.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
        return Arrays.stream(Role.values()).filter(role -> granted.contains(role.authority()))
                .max(Comparator.comparingInt(role -> role.withIncludedRoles().size()))
                .orElseThrow(() -> new AccessDeniedException("No role to act with on another node."));
    }

    private String nameOf(HostId node) {
        try {
            return hosts.get(node).name();
        } catch (NotFoundException removed) {
            return "host " + node.value();
        }
    }
}
