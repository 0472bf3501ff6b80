package dev.windrose.inventory.internal;

import dev.windrose.dataplane.Dataplane;
import dev.windrose.inventory.HostId;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The host this application runs on: registers it at start and keeps its heartbeat. */
@Component
public class LocalHost {

    private static final Logger log = LoggerFactory.getLogger(LocalHost.class);

    private final HostRepository hosts;
    private final Dataplane dataplane;
    private final InventoryProperties properties;
    private final AuditLog auditLog;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final LocalHostFacts facts;
    private final NodeProperties node;
    private volatile @Nullable HostId id;

    LocalHost(HostRepository hosts, Dataplane dataplane, InventoryProperties properties, AuditLog auditLog,
            Clock clock, PlatformTransactionManager transactionManager, NodeProperties node) {
        this.hosts = hosts;
        this.dataplane = dataplane;
        this.properties = properties;
        this.auditLog = auditLog;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
        this.facts = new LocalHostFacts(properties.procfs(), Path.of("/etc"));
        this.node = node;
    }

    @EventListener(ApplicationStartedEvent.class)
    @Order(0)
    public void registerAtStart() {
        id();
    }

    /** The local host's id, registering it first if this start has not yet. */
    public synchronized HostId id() {
        HostId known = id;
        if (known == null) {
            known = register();
            id = known;
        }
        return known;
    }

    public String machineId() {
        String configured = node.id();
        return configured != null ? configured : facts.machineId(LocalHostFacts.hostName());
    }

    @Scheduled(fixedDelayString = "${windrose.inventory.heartbeat-interval:PT2S}",
            initialDelayString = "${windrose.inventory.heartbeat-interval:PT2S}")
    public void heartbeat() {
        HostId host = id();
        transactions.executeWithoutResult(status -> hosts.findById(host.value())
                .ifPresent(entity -> entity.heartbeat(clock.instant())));
    }

    private HostId register() {
        HostFacts current = node.applyTo(facts.read(dataplane.version(), properties.mode()));
        HostId registered = transactions.execute(status -> hosts.findByMachineId(current.machineId())
                .map(existing -> {
                    existing.update(current, clock.instant());
                    return existing.id();
                })
                .orElseGet(() -> {
                    HostEntity created = hosts.saveAndFlush(new HostEntity(current, clock.instant()));
                    auditLog.record(AuditLog.SYSTEM_ACTOR, AuditAction.HOST_REGISTERED, created.name(),
                            "machine " + current.machineId() + ", " + current.cpuCores() + " cores, "
                                    + current.kernel(), null);
                    return created.id();
                }));
        if (registered == null) {
            throw new IllegalStateException("host registration returned nothing");
        }
        log.info("Host {} registered as {} (machine {}).", current.name(), registered, current.machineId());
        return registered;
    }
}
