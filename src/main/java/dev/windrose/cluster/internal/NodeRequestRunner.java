package dev.windrose.cluster.internal;

import dev.windrose.cluster.ClusterSignalled;
import dev.windrose.cluster.ClusterSignals;
import dev.windrose.cluster.PostgresNotifications;
import dev.windrose.cluster.NodeRequestHandler;
import dev.windrose.cluster.NodeRequestInfo.State;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.inventory.HostService;
import dev.windrose.security.Role;
import dev.windrose.security.SystemViewer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The receiving side of node requests: when its signal is announced (PostgreSQL NOTIFY, see
 * {@link ClusterSignals}) or at a fallback poll, this node reads its signal counter, one indexed row; when
 * it moved (or at the first read) it carries out the requests
 * waiting for it, oldest first, and tells the features (a {@link ClusterSignalled} event). Each request
 * runs in one transaction with its outcome, under a row lock, so a crash leaves it either done or pending.
 */
@Component
class NodeRequestRunner implements org.springframework.beans.factory.DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(NodeRequestRunner.class);

    private final NodeRequestRepository requests;
    private final ClusterSignalRepository signals;
    private final LocalMembership membership;
    private final HostService hosts;
    private final ObjectProvider<NodeRequestHandler<?>> handlers;
    private final JsonMapper json;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private long seenGeneration = -1;
    /** How often a node that receives notifications still reads its signal, in case one was lost. */
    static final java.time.Duration SAFETY_POLL = java.time.Duration.ofSeconds(30);
    private final PostgresNotifications notifications;
    private final java.util.concurrent.ExecutorService signalled = java.util.concurrent.Executors
            .newSingleThreadExecutor(Thread.ofPlatform().daemon().name("node-requests").factory());
    private volatile java.time.Instant lastPoll = java.time.Instant.EPOCH;
    private volatile @Nullable Long localNode;

    NodeRequestRunner(NodeRequestRepository requests, ClusterSignalRepository signals, LocalMembership membership,
            HostService hosts, ObjectProvider<NodeRequestHandler<?>> handlers, JsonMapper json,
            PlatformTransactionManager transactionManager, ApplicationEventPublisher events, Clock clock,
            PostgresNotifications notifications) {
        this.notifications = notifications;
        // An announced signal is acted on at once; a (re)opened connection reads the signal in case one was missed.
        notifications.subscribe(ClusterSignals.CHANNEL, this::announced, this::pollSoon);
        this.requests = requests;
        this.signals = signals;
        this.membership = membership;
        this.hosts = hosts;
        this.handlers = handlers;
        // A body may leave out what the REST API lets one leave out (a false flag, an empty list): a missing
        // primitive reads as its default, as in the REST bodies, instead of failing the request.
        this.json = json.rebuild().disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        this.transactions = new TransactionTemplate(transactionManager);
        this.events = events;
        this.clock = clock;
    }

    /**
     * The fallback: every second while notifications cannot arrive (H2 has no other node to send them; on
     * PostgreSQL while the listening connection is down), and every {@link #SAFETY_POLL} while they can.
     */
    @Scheduled(fixedDelayString = "${windrose.cluster.signal-poll:PT1S}", initialDelayString = "PT1S")
    void pollUnlessNotified() {
        if (notifications.listening() && clock.instant().isBefore(lastPoll.plus(SAFETY_POLL))) {
            return;
        }
        poll();
    }

    private void announced(String payload) {
        Long node = localNode;
        if (node != null && ClusterSignals.concerns(payload, node)) {
            pollSoon();
        }
    }

    /** On the runner's own thread: the notification connection's thread only hands over. */
    private void pollSoon() {
        try {
            signalled.execute(this::poll);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // The application is stopping.
        }
    }

    synchronized void poll() {
        lastPoll = clock.instant();
        try {
            if (!membership.isMember()) {
                return;
            }
            long node = hosts.local().id().value();
            localNode = node;
            long generation = currentGeneration(node);
            if (generation == seenGeneration) {
                return;
            }
            seenGeneration = generation;
            carryOutPending(node);
            events.publishEvent(new ClusterSignalled(generation));
        } catch (RuntimeException e) {
            // The database may be away for a moment; the next poll tries again.
            log.warn("Reading this node's cluster signal failed: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        signalled.shutdownNow();
    }

    private long currentGeneration(long node) {
        Long generation = transactions.execute(status -> signals.generationOf(node).orElseGet(() -> {
            signals.save(new ClusterSignalEntity(node));
            return 0L;
        }));
        return generation == null ? 0 : generation;
    }

    void carryOutPending(long node) {
        List<Long> pending = transactions.execute(status -> requests.idsFor(node, State.PENDING));
        for (long id : pending == null ? List.<Long>of() : pending) {
            carryOut(id);
        }
    }

    private void carryOut(long id) {
        try {
            transactions.executeWithoutResult(status -> requests.findForUpdate(id)
                    .filter(request -> request.state() == State.PENDING)
                    .ifPresent(this::carryOut));
        } catch (RuntimeException refused) {
            // The change rolled back with its transaction; the refusal is recorded in a new one.
            transactions.executeWithoutResult(status -> requests.findForUpdate(id)
                    .ifPresent(request -> recordFailure(request, refused)));
        }
    }

    private void carryOut(NodeRequestEntity request) {
        if (clock.instant().isAfter(request.expiresAt())) {
            log.warn("Node request {} ({} by {}) expired before this node got to it; not carried out", request.id(),
                    request.kind(), request.actor());
            request.expired(clock.instant());
            return;
        }
        NodeRequestHandler<?> handler = handlersByKind().get(request.kind());
        if (handler == null) {
            request.failed(501, null, "This node cannot carry out '" + request.kind() + "' (an older version?).",
                    clock.instant());
            return;
        }
        String actor = request.actor() + " via " + nameOf(request.fromHostId());
        Object answer = SystemViewer.actAs(actor, Role.valueOf(request.actorRole()), () -> run(handler, request.body()));
        request.done(answer == null ? null : json.writeValueAsString(answer), clock.instant());
        log.info("Carried out node request {} ({}) for {}", request.id(), request.kind(), actor);
    }

    private <B> @Nullable Object run(NodeRequestHandler<B> handler, String body) {
        return handler.carryOut(json.readValue(body, handler.bodyType()));
    }

    private void recordFailure(NodeRequestEntity request, RuntimeException refused) {
        int status = switch (refused) {
            case InvalidInputException invalid -> 400;
            case AccessDeniedException denied -> 403;
            case NotFoundException missing -> 404;
            case ConflictException conflict -> 409;
            case DataIntegrityViolationException taken -> 409;
            case tools.jackson.core.JacksonException unreadable -> 400;
            default -> 500;
        };
        String field = refused instanceof InvalidInputException invalid ? invalid.field() : null;
        String detail = status == 500 ? "The change failed here: " + refused : String.valueOf(refused.getMessage());
        if (status == 500) {
            log.error("Node request {} ({}) failed", request.id(), request.kind(), refused);
        }
        request.failed(status, field, detail, clock.instant());
    }

    private Map<String, NodeRequestHandler<?>> handlersByKind() {
        return handlers.orderedStream().collect(Collectors.toMap(NodeRequestHandler::kind, Function.identity()));
    }

    private String nameOf(long host) {
        try {
            return SystemViewer.read(() -> hosts.get(new dev.windrose.inventory.HostId(host)).name());
        } catch (NotFoundException removed) {
            return "#" + host;
        }
    }
}
