package dev.windrose.aggregation;

import dev.windrose.common.Names;
import dev.windrose.aggregation.AggregationInfo.DriveInfo;
import dev.windrose.aggregation.AggregationInfo.MemberInfo;
import dev.windrose.aggregation.internal.AggregationEntity;
import dev.windrose.aggregation.internal.AggregationRepository;
import dev.windrose.aggregation.internal.DriveEntity;
import dev.windrose.aggregation.internal.DriveRepository;
import dev.windrose.aggregation.internal.MemberEntity;
import dev.windrose.aggregation.internal.MemberRepository;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.Paging;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.fabric.ConnectionInfo;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.ListenerAddress;
import dev.windrose.fabric.NewSubsystem;
import dev.windrose.fabric.Nqn;
import dev.windrose.fabric.ObservedState;
import dev.windrose.fabric.SubsystemId;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.storage.NewVolume;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.TelemetryService;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.Provisioning;
import dev.windrose.storage.VolumeId;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Aggregations: checks a proposal against its platform's rules, plans its capacity, and creates per member
 * the volumes, a subsystem whose only allowed host is that member, the namespaces and a listener, all in
 * one transaction. A failure part-way rolls the rows back; the volumes' files are removed on rollback by
 * the storage feature, and the fabric's reconciler only runs after a commit, so nothing partial ever
 * reaches the dataplane.
 */
@Service
public class AggregationService {

    /** The naming authority of the subsystems Windrose makes (the same as the README's examples). */
    public static final String NQN_PREFIX = "nqn.2026-11.dev.windrose:agg.";
    static final String MODEL = "Windrose aggregation";

    private final AggregationRepository aggregations;
    private final MemberRepository members;
    private final DriveRepository drives;
    private final PoolService pools;
    private final VolumeService volumes;
    private final FabricService fabric;
    private final EmbeddedTarget embeddedTarget;
    private final ObjectProvider<TelemetryService> telemetry;
    private final AuditLog auditLog;
    private final Clock clock;

    AggregationService(AggregationRepository aggregations, MemberRepository members, DriveRepository drives,
            PoolService pools, VolumeService volumes, FabricService fabric, EmbeddedTarget embeddedTarget,
            ObjectProvider<TelemetryService> telemetry, AuditLog auditLog, Clock clock) {
        this.aggregations = aggregations;
        this.members = members;
        this.drives = drives;
        this.pools = pools;
        this.volumes = volumes;
        this.fabric = fabric;
        this.embeddedTarget = embeddedTarget;
        this.telemetry = telemetry;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** The rules' verdict and the capacity plan, without creating anything (viewers may ask too). */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public Review review(Proposal proposal) {
        validNames(proposal);
        List<Finding> findings = PlatformRules.check(proposal, poolFacts());
        return new Review(findings, CapacityPlanner.plan(proposal), !PlatformRules.blocks(findings));
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public Page<AggregationSummary> list(Pageable pageable) {
        return aggregations.findAllByOrderByNameAsc(pageable).map(a -> new AggregationSummary(
                new AggregationId(a.id()), a.name(), a.platform(), (int) members.countByAggregationId(a.id()),
                a.createdAt()));
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public AggregationInfo get(AggregationId id) {
        return toInfo(find(id));
    }

    /**
     * Creates the aggregation, or nothing: a layout that breaks a rule is refused (400, every error in words)
     * before anything is made, and any failure afterwards (a taken name, a full pool) rolls everything back.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public AggregationInfo create(NewAggregation request) {
        Proposal proposal = request.proposal();
        Review review = review(proposal);
        if (!review.allowed()) {
            throw new InvalidInputException("members", "The layout breaks the rules of "
                    + proposal.platform().label() + ": " + review.findings().stream().filter(Finding::blocking)
                            .map(Finding::message).collect(Collectors.joining(" ")));
        }
        if (aggregations.existsByName(proposal.name())) {
            throw new ConflictException("An aggregation named '" + proposal.name() + "' already exists.");
        }
        Endpoint listener = listener(request.listener());
        AggregationEntity aggregation = aggregations.saveAndFlush(new AggregationEntity(proposal.name(),
                proposal.platform(), listener.address(), listener.port(), clock.instant()));
        Function<PoolId, Optional<PoolFacts>> known = poolFacts();
        for (ProposedMember member : proposal.members()) {
            createMember(aggregation, member, listener, known);
        }
        auditLog.record(AuditAction.AGGREGATION_CREATED, proposal.name(), proposal.platform().label() + ", "
                + proposal.members().size() + " members, " + PlatformRules.human(review.plan().rawBytes()) + " raw");
        return toInfo(aggregation);
    }

    /** Deletes the members' subsystems and volumes (their files go once the delete is committed), then the aggregation. */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public void delete(AggregationId id) {
        AggregationEntity aggregation = find(id);
        for (MemberEntity member : members.findByAggregationIdOrderByName(aggregation.id())) {
            removeMember(aggregation, member);
        }
        aggregations.delete(aggregation);
        auditLog.record(AuditAction.AGGREGATION_DELETED, aggregation.name(), aggregation.platform().label());
    }

    /** Per member: is its host connected to its subsystem, over how many paths, and does the dataplane serve it. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<MemberStatus> status(AggregationId id) {
        AggregationEntity aggregation = find(id);
        Map<Long, SubsystemInfo> subsystems = fabric.list().stream()
                .collect(Collectors.toMap(s -> s.id().value(), Function.identity()));
        // Telemetry is optional: without it (not running, or not part of this build) there are no live rates.
        Optional<ClusterSample> sample = Optional.ofNullable(telemetry.getIfAvailable()).flatMap(TelemetryService::latest);
        return members.findByAggregationIdOrderByName(aggregation.id()).stream()
                .map(member -> status(member, subsystems.get(member.subsystemId()), sample)).toList();
    }

    /** The initiator configuration of one member, for its own OS unless another is asked for. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public InitiatorConfig initiatorConfig(AggregationId id, String memberName, @Nullable MemberOs os) {
        AggregationEntity aggregation = find(id);
        MemberEntity member = members.findByAggregationIdOrderByName(aggregation.id()).stream()
                .filter(m -> m.name().equals(memberName)).findFirst()
                .orElseThrow(() -> new NotFoundException("Aggregation " + aggregation.name() + " has no member '"
                        + memberName + "'."));
        Endpoint endpoint = new Endpoint(aggregation.listenerAddress(), aggregation.listenerPort());
        return InitiatorConfigs.generate(os == null ? member.os() : os, aggregation.name(), member.name(),
                member.hostNqn(), member.subsystemNqn(), List.of(endpoint), discovery().orElse(null));
    }

    // ---- changing ------------------------------------------------------------------------------------------

    /**
     * What changing the members to {@code wanted} would do, checked against the platform's rules on the aggregation
     * as it would be; changes nothing (viewers may ask too). Members are matched by name: a new name is a new
     * member, a missing one is removed.
     */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public ChangeReview reviewChange(AggregationId id, List<ProposedMember> wanted) {
        return planChange(find(id), wanted).review();
    }

    /**
     * Changes the members and their drives, or nothing: a change that breaks a rule, or that Windrose cannot make
     * (fewer or smaller drives), is refused (400) before anything changes; drives grow in place; removing a member whose
     * host is connected, or giving a connected member another host NQN, is refused (409) unless {@code force};
     * any failure part-way rolls back everything the change made. Order: removals first (they free pool space),
     * then changed members, then new ones.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public AggregationInfo change(AggregationId id, List<ProposedMember> wanted, boolean force) {
        AggregationEntity aggregation = find(id);
        ChangePlan plan = planChange(aggregation, wanted);
        ChangeReview review = plan.review();
        if (!review.allowed()) {
            throw new InvalidInputException("members", "Aggregation " + aggregation.name() + " was not changed: "
                    + review.findings().stream().filter(Finding::blocking).map(Finding::message)
                            .collect(Collectors.joining(" ")));
        }
        if (!force && !review.connectedMembers().isEmpty()) {
            throw new ConflictException("Aggregation " + aggregation.name() + " was not changed: "
                    + String.join(", ", review.connectedMembers()) + (review.connectedMembers().size() == 1 ? " is" : " are")
                    + " connected and would lose " + (review.connectedMembers().size() == 1 ? "its" : "their")
                    + " drives or connections. Retire the member from the cluster first (S2D: drain it and remove its "
                    + "drives from the pool; vSAN: enter maintenance mode with full data migration), or repeat with "
                    + "force=true to change it anyway.");
        }
        if (review.changes().isEmpty()) {
            return toInfo(aggregation);
        }
        Endpoint listener = new Endpoint(aggregation.listenerAddress(), aggregation.listenerPort());
        for (MemberEntity member : plan.removed()) {
            removeMember(aggregation, member);
        }
        Function<PoolId, Optional<PoolFacts>> known = poolFacts();
        for (MemberUpdate update : plan.updated()) {
            updateMember(aggregation, update, known);
        }
        for (ProposedMember member : plan.added()) {
            createMember(aggregation, member, listener, known);
        }
        auditLog.record(AuditAction.AGGREGATION_CHANGED, aggregation.name(), truncate(String.join(" ", review.changes())
                + (force && !review.connectedMembers().isEmpty() ? " Forced while connected: "
                        + String.join(", ", review.connectedMembers()) + "." : "")));
        return toInfo(aggregation);
    }

    private record MemberUpdate(MemberEntity member, ProposedMember wanted, List<DriveEntity> drives,
            DriveChanges driveChanges, boolean hostChanged) {
    }

    private record ChangePlan(ChangeReview review, List<MemberEntity> removed, List<MemberUpdate> updated,
            List<ProposedMember> added) {
    }

    private ChangePlan planChange(AggregationEntity aggregation, List<ProposedMember> wanted) {
        Proposal proposal = new Proposal(aggregation.name(), aggregation.platform(), wanted);
        validNames(proposal);
        Map<String, MemberEntity> current = new LinkedHashMap<>();
        Map<Long, List<DriveEntity>> currentDrives = new HashMap<>();
        Map<Long, Long> held = new HashMap<>();
        for (MemberEntity member : members.findByAggregationIdOrderByName(aggregation.id())) {
            current.put(member.name(), member);
            List<DriveEntity> memberDrives = drives.findByMemberIdOrderByNsid(member.id());
            currentDrives.put(member.id(), memberDrives);
            memberDrives.forEach(d -> held.merge(d.poolId(), d.sizeBytes(), Long::sum));
        }
        Set<String> wantedNames = wanted.stream().map(ProposedMember::name).collect(Collectors.toSet());
        Map<Long, Integer> paths = connectedPaths(current.values());
        List<Finding> findings = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        List<String> connected = new ArrayList<>();

        List<MemberEntity> removed = current.values().stream().filter(m -> !wantedNames.contains(m.name())).toList();
        for (MemberEntity member : removed) {
            List<DriveEntity> memberDrives = currentDrives.get(member.id());
            steps.add("Remove member " + member.name() + ": its subsystem and its " + memberDrives.size() + " drive"
                    + (memberDrives.size() == 1 ? "" : "s") + " (" + PlatformRules.human(memberDrives.stream()
                            .mapToLong(DriveEntity::sizeBytes).sum()) + ") are deleted with their data.");
            connectedFinding(member, paths, "removing it closes its connections and deletes its drives with their data",
                    findings, connected);
        }
        List<MemberUpdate> updated = new ArrayList<>();
        List<ProposedMember> added = new ArrayList<>();
        for (ProposedMember want : wanted) {
            MemberEntity member = current.get(want.name());
            if (member == null) {
                added.add(want);
                int count = want.count(DriveTier.CAPACITY) + want.count(DriveTier.CACHE);
                steps.add("Add member " + want.name() + " with " + count + " drive" + (count == 1 ? "" : "s") + " ("
                        + PlatformRules.human(want.bytes(DriveTier.CAPACITY) + want.bytes(DriveTier.CACHE))
                        + ") and its own subsystem, which admits " + want.hostNqn().strip() + " only.");
                continue;
            }
            List<DriveEntity> have = currentDrives.get(member.id());
            DriveChanges driveChanges = driveChanges(member.name(), have, want.drives(), findings);
            List<DriveGroup> more = driveChanges.more();
            boolean hostChanged = !member.hostNqn().equalsIgnoreCase(want.hostNqn().strip());
            boolean detailsChanged = member.os() != want.os()
                    || !java.util.Objects.equals(member.address(), blankToNull(want.address()));
            if (hostChanged) {
                steps.add(member.name() + "'s subsystem admits " + want.hostNqn().strip() + " instead of "
                        + member.hostNqn() + ".");
                connectedFinding(member, paths, "its subsystem stops admitting the host NQN it is connected with",
                        findings, connected);
            }
            if (detailsChanged) {
                steps.add(member.name() + " is recorded as " + want.os().label()
                        + (blankToNull(want.address()) == null ? "" : " at " + want.address().strip()) + ".");
            }
            record Growth(DriveTier tier, long from, long to) {
            }
            driveChanges.grow().entrySet().stream().collect(Collectors.groupingBy(e -> new Growth(e.getKey().tier(),
                    e.getKey().sizeBytes(), e.getValue()), LinkedHashMap::new, Collectors.counting()))
                    .forEach((growth, count) -> steps.add("Grow " + count + " of " + member.name() + "'s "
                            + growth.tier().name().toLowerCase(Locale.ROOT) + " drives from "
                            + PlatformRules.human(growth.from()) + " to " + PlatformRules.human(growth.to())
                            + " (in place: connected hosts are told the new size)."));
            if (!more.isEmpty()) {
                int count = more.stream().mapToInt(DriveGroup::count).sum();
                steps.add("Add " + count + " drive" + (count == 1 ? "" : "s") + " to " + member.name() + ": "
                        + more.stream().map(AggregationService::describe).collect(Collectors.joining(", ")) + ".");
            }
            if (hostChanged || detailsChanged || !driveChanges.isEmpty()) {
                updated.add(new MemberUpdate(member, want, have, driveChanges, hostChanged));
            }
        }
        // The rules judge the aggregation as it would be; the pools can also give back what it holds now.
        Function<PoolId, Optional<PoolFacts>> known = poolFacts();
        Function<PoolId, Optional<PoolFacts>> pools = id -> known.apply(id).map(p -> new PoolFacts(p.id(), p.name(),
                p.host(), p.type(), p.allocatableBytes() + held.getOrDefault(id.value(), 0L)));
        findings.addAll(PlatformRules.check(proposal, pools));
        findings.sort((a, b) -> a.severity().compareTo(b.severity()));
        ChangeReview review = new ChangeReview(findings, CapacityPlanner.plan(proposal), !PlatformRules.blocks(findings),
                steps, connected);
        return new ChangePlan(review, removed, updated, added);
    }

    /** What a member's drives need so it has the drives wanted: some grown to a larger size, some added. */
    private record DriveChanges(Map<DriveEntity, Long> grow, List<DriveGroup> more) {

        boolean isEmpty() {
            return grow.isEmpty() && more.isEmpty();
        }
    }

    /**
     * Matches a member's drives to {@code wanted}, per tier and pool: drives of a size still wanted stay; drives
     * whose size is no longer wanted grow to a larger size wanted in the same tier and pool (the volume grows in
     * place and the namespace with it, so connected hosts see the new size); what is left over is added. Fewer
     * drives, or smaller ones, are errors in {@code findings}: a drive is never taken away or shrunk, since the
     * cluster may hold data on any of it.
     */
    private static DriveChanges driveChanges(String member, List<DriveEntity> have, List<DriveGroup> wanted,
            List<Finding> findings) {
        Map<DriveKey, List<DriveEntity>> haveByKey = new LinkedHashMap<>();
        have.forEach(d -> haveByKey.computeIfAbsent(new DriveKey(d.tier(), d.sizeBytes(), d.poolId()),
                k -> new ArrayList<>()).add(d));
        Map<DriveKey, Integer> remaining = new LinkedHashMap<>();
        wanted.forEach(g -> remaining.merge(new DriveKey(g.tier(), g.sizeBytes(), g.pool().value()), g.count(),
                Integer::sum));
        Map<DriveEntity, Long> grow = new LinkedHashMap<>();
        for (Map.Entry<DriveKey, List<DriveEntity>> entry : haveByKey.entrySet()) {
            DriveKey key = entry.getKey();
            int count = entry.getValue().size();
            int same = remaining.getOrDefault(key, 0);
            if (same >= count) {
                remaining.put(key, same - count);
                continue;
            }
            String tier = key.tier().name().toLowerCase(Locale.ROOT);
            Optional<DriveKey> larger = same > 0 ? Optional.empty() : remaining.entrySet().stream()
                    .filter(w -> w.getKey().tier() == key.tier() && w.getKey().pool() == key.pool()
                            && w.getKey().size() > key.size() && w.getValue() >= count)
                    .map(Map.Entry::getKey).min((a, b) -> Long.compare(a.size(), b.size()));
            if (larger.isPresent()) {
                entry.getValue().forEach(d -> grow.put(d, larger.get().size()));
                remaining.merge(larger.get(), -count, Integer::sum);
                continue;
            }
            boolean smaller = remaining.keySet().stream().anyMatch(w -> w.tier() == key.tier() && w.pool() == key.pool()
                    && w.size() < key.size());
            if (smaller && same == 0) {
                PlatformRules.error(findings, "change.shrink-drives", member + "'s " + tier + " drives are "
                        + PlatformRules.human(key.size()) + " each: Windrose grows drives but never shrinks them, "
                        + "since that would cut off data the cluster may hold. Keep the size, or choose a larger one.",
                        PlatformRules.WINDROSE);
            } else {
                PlatformRules.error(findings, "change.remove-drives", member + " would keep " + same + " of its "
                        + count + " " + tier + " drives of " + PlatformRules.human(key.size()) + ": Windrose adds "
                        + "drives to a member but does not take them away, since the cluster may hold data on any of "
                        + "them. Keep them, or remove the member (its drives go with it) after retiring it from the "
                        + "cluster.", PlatformRules.WINDROSE);
            }
        }
        List<DriveGroup> more = new ArrayList<>();
        remaining.forEach((key, missing) -> {
            if (missing > 0) {
                more.add(new DriveGroup(key.tier(), missing, key.size(), new PoolId(key.pool())));
            }
        });
        return new DriveChanges(grow, more);
    }

    private record DriveKey(DriveTier tier, long size, long pool) {
    }

    private static String describe(DriveGroup group) {
        return group.count() + " x " + PlatformRules.human(group.sizeBytes()) + " "
                + group.tier().name().toLowerCase(Locale.ROOT);
    }

    /** Live controllers per member subsystem; a subsystem that is gone has none. */
    private Map<Long, Integer> connectedPaths(java.util.Collection<MemberEntity> current) {
        Set<Long> present = fabric.list().stream().map(s -> s.id().value()).collect(Collectors.toSet());
        Map<Long, Integer> paths = new HashMap<>();
        for (MemberEntity member : current) {
            if (present.contains(member.subsystemId())) {
                paths.put(member.id(), fabric.connections(new SubsystemId(member.subsystemId())).size());
            }
        }
        return paths;
    }

    private static void connectedFinding(MemberEntity member, Map<Long, Integer> paths, String consequence,
            List<Finding> findings, List<String> connected) {
        int count = paths.getOrDefault(member.id(), 0);
        if (count > 0) {
            connected.add(member.name());
            PlatformRules.warn(findings, "change.connected", member.name() + " is connected over " + count + " path"
                    + (count == 1 ? "" : "s") + ": " + consequence + ". Retire it from the cluster first; the change "
                    + "is only made when forced.", PlatformRules.WINDROSE);
        }
    }

    private void removeMember(AggregationEntity aggregation, MemberEntity member) {
        List<DriveEntity> memberDrives = drives.findByMemberIdOrderByNsid(member.id());
        deleteSubsystemIfPresent(member);
        deleteVolumesIfPresent(aggregation.name(), member, memberDrives);
        drives.deleteAll(memberDrives);
        members.delete(member);
    }

    private void updateMember(AggregationEntity aggregation, MemberUpdate update, Function<PoolId, Optional<PoolFacts>> known) {
        MemberEntity member = update.member();
        SubsystemId subsystem = new SubsystemId(member.subsystemId());
        if (update.hostChanged()) {
            String host = update.wanted().hostNqn().strip();
            // Admit the new NQN before the old one goes, so the subsystem never admits nobody.
            fabric.allowHost(subsystem, host);
            fabric.get(subsystem).allowedHosts().stream().filter(h -> h.hostNqn().equalsIgnoreCase(member.hostNqn()))
                    .forEach(h -> fabric.disallowHost(subsystem, h.id()));
        }
        member.update(update.wanted().os(), update.wanted().hostNqn().strip(), blankToNull(update.wanted().address()));
        members.saveAndFlush(member);
        int nsid = update.drives().stream().mapToInt(DriveEntity::nsid).max().orElse(0) + 1;
        Map<DriveTier, Integer> perTier = new LinkedHashMap<>();
        update.drives().forEach(d -> perTier.merge(d.tier(), 1, Integer::sum));
        for (Map.Entry<DriveEntity, Long> grown : update.driveChanges().grow().entrySet()) {
            volumes.grow(new VolumeId(grown.getKey().volumeId()), grown.getValue());
            grown.getKey().grow(grown.getValue());
            drives.save(grown.getKey());
        }
        for (DriveGroup group : update.driveChanges().more()) {
            for (int i = 0; i < group.count(); i++) {
                int index = perTier.merge(group.tier(), 1, Integer::sum);
                addDrive(aggregation, member, subsystem, group, index, nsid++, known);
            }
        }
    }

    private void addDrive(AggregationEntity aggregation, MemberEntity member, SubsystemId subsystem, DriveGroup group,
            int index, int nsid, Function<PoolId, Optional<PoolFacts>> known) {
        PoolFacts pool = known.apply(group.pool()).orElseThrow(() -> new InvalidInputException("members",
                "There is no pool with id " + group.pool() + "."));
        VolumeInfo volume = volumes.create(new NewVolume(volumeName(aggregation.name(), member.name(), group.tier(),
                index), group.pool(), group.sizeBytes(), provisioning(pool)));
        fabric.addNamespace(subsystem, volume.id(), nsid);
        drives.save(new DriveEntity(member.id(), group.tier(), nsid, volume.id().value(), group.pool().value(),
                group.sizeBytes()));
    }

    private static String truncate(String detail) {
        return detail.length() <= 1000 ? detail : detail.substring(0, 997) + "...";
    }

    // ---- creating ------------------------------------------------------------------------------------------

    private void createMember(AggregationEntity aggregation, ProposedMember member, Endpoint listener,
            Function<PoolId, Optional<PoolFacts>> knownPools) {
        String nqn = subsystemNqn(aggregation.name(), member.name());
        SubsystemInfo subsystem = fabric.create(new NewSubsystem(nqn, null, MODEL, false));
        MemberEntity saved = members.saveAndFlush(new MemberEntity(aggregation.id(), member.name(), member.os(),
                member.hostNqn().strip(), blankToNull(member.address()), subsystem.id().value(), nqn));
        int nsid = 1;
        Map<DriveTier, Integer> perTier = new LinkedHashMap<>();
        for (DriveGroup group : member.drives()) {
            for (int i = 0; i < group.count(); i++) {
                int index = perTier.merge(group.tier(), 1, Integer::sum);
                addDrive(aggregation, saved, subsystem.id(), group, index, nsid++, knownPools);
            }
        }
        fabric.addListener(subsystem.id(), "tcp", listener.address(), listener.port());
        // The member's own host NQN is the only one admitted: no member sees another's drives.
        fabric.allowHost(subsystem.id(), member.hostNqn().strip());
    }

    /** Directory pools make thin files (sparse until written); the others have one provisioning only. */
    private static @Nullable Provisioning provisioning(PoolFacts pool) {
        return pool.type() == PoolType.DIRECTORY ? Provisioning.THIN : null;
    }

    static String subsystemNqn(String aggregation, String member) {
        return NQN_PREFIX + aggregation + "." + member;
    }

    static String volumeName(String aggregation, String member, DriveTier tier, int index) {
        return aggregation + "-" + member + "-" + (tier == DriveTier.CACHE ? "cache" : "cap") + index;
    }

    private Endpoint listener(@Nullable Endpoint asked) {
        if (asked != null) {
            ListenerAddress parsed = ListenerAddress.parse(asked.address(), asked.port());
            return new Endpoint(parsed.address(), asked.port());
        }
        EmbeddedTarget.Status target = embeddedTarget.status();
        if (target.listenAddress() == null || target.listenPort() <= 0) {
            throw new InvalidInputException("listenerAddress", "The NVMe/TCP target is not running, so there is no "
                    + "address to default to: give listenerAddress and listenerPort.");
        }
        return new Endpoint(target.listenAddress(), target.listenPort());
    }

    private Optional<Endpoint> discovery() {
        EmbeddedTarget.Status target = embeddedTarget.status();
        return target.listenAddress() == null || target.listenPort() <= 0 ? Optional.empty()
                : Optional.of(new Endpoint(target.listenAddress(), target.listenPort()));
    }

    /** Characters no name may hold and malformed host NQNs are refused (400) before any rule is weighed. */
    private static void validNames(Proposal proposal) {
        Names.requireSafe("name", proposal.name());
        for (int i = 0; i < proposal.members().size(); i++) {
            ProposedMember member = proposal.members().get(i);
            Names.requireSafe("members[" + i + "].name", member.name());
            Nqn.validate("members[" + i + "].hostNqn", member.hostNqn());
            if (member.address() != null) {
                Names.requireSafe("members[" + i + "].address", member.address());
            }
        }
    }

    /**
     * Every pool, read once. Looked up from the listing rather than one by one: a lookup that fails inside this
     * transaction would mark it for rollback.
     */
    private Function<PoolId, Optional<PoolFacts>> poolFacts() {
        Map<PoolId, PoolFacts> all = new LinkedHashMap<>();
        pools.list(null, null, PageRequest.of(0, Paging.MAX_PAGE_SIZE)).forEach(pool -> all.put(pool.id(),
                new PoolFacts(pool.id(), pool.name(), pool.hostId(), pool.type(),
                        Math.max(0, pool.allocationLimitBytes() - pool.allocatedBytes()))));
        return id -> Optional.ofNullable(all.get(id));
    }

    // ---- deleting ------------------------------------------------------------------------------------------

    /** Checked first: a not-found thrown by the fabric inside this transaction would mark it for rollback. */
    private void deleteSubsystemIfPresent(MemberEntity member) {
        boolean present = fabric.list().stream().anyMatch(s -> s.id().value() == member.subsystemId());
        if (present) {
            fabric.delete(new SubsystemId(member.subsystemId()));
        }
    }

    private void deleteVolumesIfPresent(String aggregation, MemberEntity member, List<DriveEntity> memberDrives) {
        Set<Long> wanted = memberDrives.stream().map(DriveEntity::volumeId).collect(Collectors.toSet());
        Set<Long> pools = memberDrives.stream().map(DriveEntity::poolId).collect(Collectors.toSet());
        for (long pool : pools) {
            volumes.list(new PoolId(pool), null, aggregation + "-" + member.name() + "-",
                    PageRequest.of(0, Paging.MAX_PAGE_SIZE)).stream()
                    .filter(volume -> wanted.contains(volume.id().value()))
                    .forEach(volume -> volumes.delete(volume.id()));
        }
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private MemberStatus status(MemberEntity member, @Nullable SubsystemInfo subsystem, Optional<ClusterSample> sample) {
        if (subsystem == null) {
            return new MemberStatus(member.name(), member.hostNqn(), member.subsystemNqn(), null,
                    "Its subsystem was deleted outside the aggregation: delete and re-create the aggregation.",
                    false, 0, List.of(), 0, 0, null);
        }
        List<ConnectionInfo> paths = fabric.connections(subsystem.id()).stream()
                .filter(c -> c.hostNqn().equalsIgnoreCase(member.hostNqn())).toList();
        int applied = (int) subsystem.namespaces().stream().filter(ns -> ns.state() == ObservedState.APPLIED).count();
        String problem = subsystem.state() == ObservedState.APPLIED ? firstNamespaceError(subsystem)
                : subsystem.lastError();
        return new MemberStatus(member.name(), member.hostNqn(), member.subsystemNqn(), subsystem.state(), problem,
                !paths.isEmpty(), paths.size(), paths.stream().map(ConnectionInfo::peerAddress).distinct().toList(),
                applied, subsystem.namespaces().size(),
                sample.flatMap(s -> s.rates(new MetricObject.Subsystem(member.subsystemNqn()))).orElse(null));
    }

    private static @Nullable String firstNamespaceError(SubsystemInfo subsystem) {
        return subsystem.namespaces().stream().filter(ns -> ns.lastError() != null)
                .map(ns -> "Namespace " + ns.nsid() + ": " + ns.lastError()).findFirst().orElse(null);
    }

    private AggregationInfo toInfo(AggregationEntity aggregation) {
        List<MemberInfo> memberInfos = new ArrayList<>();
        List<ProposedMember> proposed = new ArrayList<>();
        for (MemberEntity member : members.findByAggregationIdOrderByName(aggregation.id())) {
            List<DriveEntity> memberDrives = drives.findByMemberIdOrderByNsid(member.id());
            memberInfos.add(new MemberInfo(member.name(), member.os(), member.hostNqn(), member.address(),
                    member.subsystemId(), member.subsystemNqn(), memberDrives.stream()
                            .map(d -> new DriveInfo(d.nsid(), d.tier(), d.volumeId(), d.poolId(), d.sizeBytes()))
                            .toList()));
            proposed.add(new ProposedMember(member.name(), member.os(), member.hostNqn(), member.address(),
                    groups(memberDrives)));
        }
        CapacityPlan plan = CapacityPlanner.plan(new Proposal(aggregation.name(), aggregation.platform(), proposed));
        return new AggregationInfo(new AggregationId(aggregation.id()), aggregation.name(), aggregation.platform(),
                new Endpoint(aggregation.listenerAddress(), aggregation.listenerPort()), aggregation.createdAt(),
                memberInfos, plan);
    }

    /** The drives of a member grouped back into (tier, size, pool) groups, for the capacity plan. */
    private static List<DriveGroup> groups(List<DriveEntity> memberDrives) {
        record Key(DriveTier tier, long size, long pool) {
        }
        Map<Key, Integer> counts = new LinkedHashMap<>();
        memberDrives.forEach(d -> counts.merge(new Key(d.tier(), d.sizeBytes(), d.poolId()), 1, Integer::sum));
        return counts.entrySet().stream().map(e -> new DriveGroup(e.getKey().tier(), e.getValue(), e.getKey().size(),
                new PoolId(e.getKey().pool()))).toList();
    }

    private AggregationEntity find(AggregationId id) {
        return aggregations.findById(id.value())
                .orElseThrow(() -> new NotFoundException("There is no aggregation with id " + id + "."));
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
