package dev.windrose.inventory;

import dev.windrose.common.NotFoundException;
import dev.windrose.common.Names;
import dev.windrose.inventory.internal.DiskRepository;
import dev.windrose.inventory.internal.HostEntity;
import dev.windrose.inventory.internal.HostRepository;
import dev.windrose.inventory.internal.InventoryProperties;
import dev.windrose.inventory.internal.LocalHost;
import dev.windrose.security.Role;
import java.time.Clock;
import java.time.Instant;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The hosts (nodes) running Windrose. Hosts register themselves; nobody types them in. */
@Service
public class HostService {

    private final HostRepository hosts;
    private final DiskRepository disks;
    private final LocalHost localHost;
    private final InventoryProperties properties;
    private final Clock clock;

    HostService(HostRepository hosts, DiskRepository disks, LocalHost localHost, InventoryProperties properties,
            Clock clock) {
        this.hosts = hosts;
        this.disks = disks;
        this.localHost = localHost;
        this.properties = properties;
        this.clock = clock;
    }

    /** Hosts by name. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public Page<HostInfo> list(Pageable pageable) {
        Pageable byName = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by("name", "id"));
        Instant now = clock.instant();
        String local = localHost.machineId();
        return hosts.findAll(byName).map(host -> host.toInfo(now, properties.heartbeat(), local));
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public HostInfo get(HostId id) {
        return hosts.findById(id.value()).map(host -> host.toInfo(clock.instant(), properties.heartbeat(),
                        localHost.machineId()))
                .orElseThrow(() -> new NotFoundException("There is no host with id " + id + "."));
    }

    /** The host this application runs on, which owns what is created here. */
    @Transactional(readOnly = true)
    public HostInfo local() {
        HostEntity host = hosts.findById(localHost.id().value())
                .orElseThrow(() -> new IllegalStateException("the local host is not registered"));
        return host.toInfo(clock.instant(), properties.heartbeat(), localHost.machineId());
    }

    /**
     * Gives a host a name of the administrator's that its restarts keep. Callers check who may (the
     * cluster's membership service does); the name passes {@link Names#text}.
     */
    @Transactional
    public HostInfo rename(HostId id, String name) {
        String trimmed = Names.text("name", name, 255);
        HostEntity host = hosts.findById(id.value())
                .orElseThrow(() -> new NotFoundException("There is no host with id " + id + "."));
        host.rename(trimmed);
        return host.toInfo(clock.instant(), properties.heartbeat(), localHost.machineId());
    }

    /**
     * Forgets a host and the disks it reported: for a node removed from the cluster. Callers first make
     * sure nothing else (pools, listeners) still belongs to it; the database refuses otherwise.
     */
    @Transactional
    public void forget(HostId id) {
        HostEntity host = hosts.findById(id.value())
                .orElseThrow(() -> new NotFoundException("There is no host with id " + id + "."));
        disks.deleteAll(disks.findByHostId(id.value()));
        hosts.delete(host);
        hosts.flush();
    }
}
