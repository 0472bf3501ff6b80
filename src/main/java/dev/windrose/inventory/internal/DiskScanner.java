package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskAppeared;
import dev.windrose.inventory.DiskDisappeared;
import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.DiskKind;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.RescanResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings the local host's disks in the database in line with what the system shows: new disks are
 * added, known ones refreshed, vanished ones marked missing; each appearance and disappearance is
 * published as an event. Runs at start, periodically and on demand.
 */
@Component
public class DiskScanner {

    private static final Logger log = LoggerFactory.getLogger(DiskScanner.class);

    private final DiskRepository disks;
    private final LocalHost localHost;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final SysfsDiscovery discovery;
    private final HealthProbe health;

    DiskScanner(DiskRepository disks, LocalHost localHost, InventoryProperties properties,
            ApplicationEventPublisher events, Clock clock, PlatformTransactionManager transactionManager) {
        this.disks = disks;
        this.localHost = localHost;
        this.events = events;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
        this.discovery = new SysfsDiscovery(properties.sysfs(), properties.procfs(), properties.dev());
        this.health = new HealthProbe(properties.sysfs(), properties.dev(), HealthProbe.findSmartctl(properties.smartctl()));
    }

    @EventListener(ApplicationReadyEvent.class)
    public void scanAtStart() {
        scheduledRescan();
    }

    @Scheduled(fixedDelayString = "${windrose.inventory.rescan-interval:PT5M}",
            initialDelayString = "${windrose.inventory.rescan-interval:PT5M}")
    public void scheduledRescan() {
        try {
            RescanResult result = rescan();
            log.debug("Disk rescan: {}", result);
        } catch (RuntimeException e) {
            log.warn("Disk rescan failed: {}", e.toString());
        }
    }

    /** Discovery and health probes run outside the transaction: they read files and may start smartctl. */
    public synchronized RescanResult rescan() {
        HostId host = localHost.id();
        List<DiscoveredDisk> found = discovery.discover();
        Map<String, DiskHealth> healthByName = new HashMap<>();
        for (DiscoveredDisk disk : found) {
            healthByName.put(disk.name(), health.probe(disk));
        }
        RescanResult result = transactions.execute(status -> apply(host, found, healthByName, clock.instant()));
        if (result == null) {
            throw new IllegalStateException("rescan returned nothing");
        }
        return result;
    }

    /**
     * Matches what the system shows to what the database knows by identity, never by kernel name: a disk
     * that comes back as {@code sdb} after being {@code sda} is the same row, with its pool membership.
     */
    private RescanResult apply(HostId host, List<DiscoveredDisk> found, Map<String, DiskHealth> healthByName,
            Instant now) {
        Map<String, DiskEntity> known = new HashMap<>();
        disks.findByHostIdAndKind(host.value(), DiskKind.BLOCK).forEach(disk -> known.put(disk.identity(), disk));
        List<String> appeared = new ArrayList<>();
        List<String> disappeared = new ArrayList<>();
        List<String> renamed = new ArrayList<>();
        List<DiscoveredDisk> unmatched = new ArrayList<>();
        for (DiscoveredDisk disk : found) {
            DiskEntity entity = known.remove(disk.identity());
            if (entity == null) {
                unmatched.add(disk);
            } else {
                refresh(entity, disk, healthByName.get(disk.name()), now, appeared, renamed);
            }
        }
        for (DiscoveredDisk disk : unmatched) {
            DiskEntity legacy = known.remove(DiskIdentity.kernelName(disk.name()));
            if (legacy != null) {
                // Recorded before identities existed: the kernel name is all there is to go by, once.
                refresh(legacy, disk, healthByName.get(disk.name()), now, appeared, renamed);
            } else {
                DiskEntity entity = disks.saveAndFlush(DiskEntity.discovered(host, disk, healthByName.get(disk.name()), now));
                appeared(entity, appeared);
            }
        }
        for (DiskEntity gone : known.values()) {
            if (gone.isPresent()) {
                gone.missing();
                disappeared(gone, disappeared);
            }
        }
        checkLabDisks(host, now, appeared, disappeared);
        return new RescanResult(found.size(), List.copyOf(appeared), List.copyOf(disappeared), List.copyOf(renamed));
    }

    private void refresh(DiskEntity entity, DiscoveredDisk disk, DiskHealth health, Instant now, List<String> appeared,
            List<String> renamed) {
        boolean wasMissing = !entity.isPresent();
        String oldName = entity.name();
        entity.refresh(disk, health, now);
        if (!oldName.equals(disk.name())) {
            renamed.add(oldName + " -> " + disk.name());
            log.info("Disk {} is now {} ({})", oldName, disk.name(), disk.identity());
        }
        if (wasMissing) {
            appeared(entity, appeared);
        }
    }

    /** A lab disk is present while its file exists. */
    private void checkLabDisks(HostId host, Instant now, List<String> appeared, List<String> disappeared) {
        for (DiskEntity lab : disks.findByHostIdAndKind(host.value(), DiskKind.LAB)) {
            boolean exists = Files.isRegularFile(Path.of(lab.devicePath()));
            if (exists && !lab.isPresent()) {
                lab.seen(now);
                appeared(lab, appeared);
            } else if (exists) {
                lab.seen(now);
            } else if (lab.isPresent()) {
                lab.missing();
                disappeared(lab, disappeared);
            }
        }
    }

    private void appeared(DiskEntity disk, List<String> names) {
        names.add(disk.name());
        events.publishEvent(new DiskAppeared(disk.id(), disk.hostId(), disk.name(), disk.devicePath()));
    }

    private void disappeared(DiskEntity disk, List<String> names) {
        names.add(disk.name());
        events.publishEvent(new DiskDisappeared(disk.id(), disk.hostId(), disk.name(), disk.devicePath()));
    }
}
