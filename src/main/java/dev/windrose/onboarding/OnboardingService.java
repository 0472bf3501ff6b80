package dev.windrose.onboarding;

import dev.windrose.common.Names;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.PrivateFiles;
import dev.windrose.common.WindroseProperties;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.NewSubsystem;
import dev.windrose.fabric.Nqn;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.NewLabDisk;
import dev.windrose.onboarding.internal.FieldEntity;
import dev.windrose.onboarding.internal.FieldRepository;
import dev.windrose.onboarding.internal.ProgressEntity;
import dev.windrose.onboarding.internal.ProgressRepository;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.VolumeId;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The guided set-up: its stored progress (status, step, what was typed in each step) and the steps
 * that create something. Creating goes through the inventory, storage and fabric services, in the same
 * transaction as the note of what was created, so a refused step leaves neither half-built objects nor a
 * progress that claims them. Administrators only: it may create lab disks and it names the cluster.
 */
@Service
public class OnboardingService {

    public static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
    /** Field names starting with this hold what a step created, not what was typed. */
    public static final String CREATED = "created.";
    public static final String CREATED_POOL = CREATED + "poolId";
    public static final String CREATED_VOLUMES = CREATED + "volumeIds";
    public static final String CREATED_SUBSYSTEM = CREATED + "subsystemId";

    private final ProgressRepository progress;
    private final FieldRepository fields;
    private final DiskService disks;
    private final PoolService pools;
    private final VolumeService volumes;
    private final FabricService fabric;
    private final AuditLog auditLog;
    private final Clock clock;
    private final Path suggestedPoolDirectory;

    OnboardingService(ProgressRepository progress, FieldRepository fields, DiskService disks, PoolService pools,
            VolumeService volumes, FabricService fabric, AuditLog auditLog, Clock clock, WindroseProperties windrose) {
        this.progress = progress;
        this.fields = fields;
        this.disks = disks;
        this.pools = pools;
        this.volumes = volumes;
        this.fabric = fabric;
        this.auditLog = auditLog;
        this.clock = clock;
        this.suggestedPoolDirectory = windrose.dataDir().resolve("pools").toAbsolutePath().normalize();
    }

    /** Where the wizard suggests a directory pool: beside the database, created when chosen. */
    public Path suggestedPoolDirectory() {
        return suggestedPoolDirectory;
    }

    /** Whether an administrator signing in should be offered the wizard: not finished and not skipped. */
    @Transactional(readOnly = true)
    public boolean offered() {
        return progress.findById(ProgressEntity.ID).map(ProgressEntity::status).orElse(OnboardingStatus.NOT_STARTED)
                .offered();
    }

    /** The cluster's name, once the first step named it. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public Optional<String> clusterName() {
        return progress.findById(ProgressEntity.ID).map(ProgressEntity::clusterName);
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.ADMIN)
    public OnboardingProgress progress() {
        return progress.findById(ProgressEntity.ID).map(this::toProgress)
                .orElseGet(() -> new OnboardingProgress(OnboardingStatus.NOT_STARTED, WizardStep.CLUSTER, null,
                        Map.of(), null, null));
    }

    /** Opens the wizard: a first visit starts it; a started one resumes where it stopped. */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public OnboardingProgress start() {
        ProgressEntity entity = entity();
        if (entity.status() == OnboardingStatus.NOT_STARTED) {
            entity.moveTo(OnboardingStatus.IN_PROGRESS, WizardStep.CLUSTER, clock.instant(), actor());
        }
        return toProgress(entity);
    }

    /**
     * Stores what was typed in a step and makes {@code shown} the step to resume at. Used by Next and by
     * Back alike, so going back never loses anything.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public OnboardingProgress save(WizardStep step, Map<String, String> typed, WizardStep shown) {
        ProgressEntity entity = entity();
        storeTyped(step, typed);
        entity.moveTo(OnboardingStatus.IN_PROGRESS, shown, clock.instant(), actor());
        return toProgress(entity);
    }

    /** Step 1: names the cluster (audited when the name changes) and keeps the step's choices. */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public OnboardingProgress nameCluster(String name, Map<String, String> typed) {
        String valid = validClusterName(name);
        ProgressEntity entity = entity();
        if (!valid.equals(entity.clusterName())) {
            entity.nameCluster(valid, clock.instant(), actor());
            auditLog.record(AuditAction.CLUSTER_NAMED, valid, null);
        }
        return save(WizardStep.CLUSTER, typed, WizardStep.DISKS);
    }

    /**
     * Renames the cluster outside the guided setup (from the dashboard), where it is shown in the console's
     * header and tab titles; audited when the name changes. The guided setup's progress is left as it is.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public String renameCluster(String name) {
        String valid = validClusterName(name);
        ProgressEntity entity = entity();
        if (!valid.equals(entity.clusterName())) {
            String before = entity.clusterName();
            entity.nameCluster(valid, clock.instant(), actor());
            auditLog.record(AuditAction.CLUSTER_NAMED, valid, before == null ? null : "renamed from " + before);
        }
        return valid;
    }

    /** Step 2, for a host without a spare disk: a file-backed lab disk (for trials). */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public DiskInfo createLabDisk(NewLabDisk request) {
        return disks.createLabDisk(request);
    }

    /** Step 3: the pool, noted as created by this step. */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public PoolInfo createPool(NewPool request, Map<String, String> typed) {
        if (request.type() == PoolType.DIRECTORY && request.directory() != null
                && Path.of(request.directory().strip()).normalize().equals(suggestedPoolDirectory)) {
            createSuggestedDirectory();
        }
        PoolInfo pool = pools.create(request);
        storeTyped(WizardStep.POOL, typed);
        storeCreated(WizardStep.POOL, CREATED_POOL, String.valueOf(pool.id().value()));
        return pool;
    }

    /** Step 4: the first volume(s), all or none. */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public List<VolumeInfo> createVolumes(List<NewVolume> requests, Map<String, String> typed) {
        if (requests.isEmpty()) {
            throw new InvalidInputException("count", "Create at least one volume.");
        }
        List<VolumeInfo> created = new ArrayList<>();
        for (NewVolume request : requests) {
            created.add(volumes.create(request));
        }
        storeTyped(WizardStep.VOLUMES, typed);
        storeCreated(WizardStep.VOLUMES, CREATED_VOLUMES,
                created.stream().map(v -> String.valueOf(v.id().value())).collect(Collectors.joining(",")));
        return created;
    }

    /**
     * Step 5: subsystem, namespaces, listeners and the allowed host in one transaction; any refusal
     * (a malformed NQN, a taken port, a volume that cannot be served) leaves nothing behind.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public SubsystemInfo createSubsystem(SubsystemPlan plan, Map<String, String> typed) {
        String host = plan.hostNqn() == null || plan.hostNqn().isBlank() ? null : Nqn.validate("hostNqn", plan.hostNqn());
        if (host == null && !plan.allowAnyHost()) {
            throw new InvalidInputException("hostNqn", "Give the NQN of the host that will connect (on Linux it is in "
                    + "/etc/nvme/hostnqn), or allow any host for a trial.");
        }
        if (plan.addresses().isEmpty()) {
            throw new InvalidInputException("addresses", "Choose at least one listener address in step 1.");
        }
        if (plan.volumes().isEmpty()) {
            throw new InvalidInputException("volumes", "There is no volume to export: create one in step 4.");
        }
        SubsystemInfo subsystem = fabric.create(new NewSubsystem(plan.nqn(), null, null, plan.allowAnyHost()));
        for (VolumeId volume : plan.volumes()) {
            fabric.addNamespace(subsystem.id(), volume, null);
        }
        for (String address : plan.addresses()) {
            fabric.addListener(subsystem.id(), "tcp", address, plan.port());
        }
        if (host != null) {
            fabric.allowHost(subsystem.id(), host);
        }
        storeTyped(WizardStep.SUBSYSTEM, typed);
        storeCreated(WizardStep.SUBSYSTEM, CREATED_SUBSYSTEM, String.valueOf(subsystem.id().value()));
        return fabric.get(subsystem.id());
    }

    /** "pool1", or the first of "pool2", "pool3"… that no pool has: a rerun proposes no taken name. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.ADMIN)
    public String unusedPoolName() {
        java.util.Set<String> taken = pools.list(null, null, org.springframework.data.domain.PageRequest.of(0, 10_000))
                .stream().map(PoolInfo::name).collect(Collectors.toSet());
        return firstFree("pool", taken);
    }

    /** "vol1", or the first of "vol2", "vol3"… that no volume has (nor, as "volN-1", a numbered one). */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.ADMIN)
    public String unusedVolumeName() {
        java.util.Set<String> taken = volumes.list(null, null, null, org.springframework.data.domain.PageRequest.of(0, 10_000))
                .stream().map(VolumeInfo::name).map(name -> name.replaceFirst("-\\d+$", "")).collect(Collectors.toSet());
        return firstFree("vol", taken);
    }

    private static String firstFree(String prefix, java.util.Set<String> taken) {
        for (int i = 1; ; i++) {
            if (!taken.contains(prefix + i)) {
                return prefix + i;
            }
        }
    }

    /**
     * What this run created before a subsystem exported it (a pool, volumes): the half-made part that
     * Skip asks about. Empty once the subsystem exists (then nothing is half-made) or nothing was made.
     */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.ADMIN)
    public List<String> unfinishedObjects() {
        OnboardingProgress now = progress();
        if (now.field(WizardStep.SUBSYSTEM, CREATED_SUBSYSTEM).isPresent()) {
            return List.of();
        }
        List<String> made = new ArrayList<>();
        createdPool(now).ifPresent(pool -> made.add("pool " + pool.name()));
        createdVolumes(now).forEach(volume -> made.add("volume " + volume.name()));
        return made;
    }

    /**
     * Removes what {@link #unfinishedObjects()} lists (volumes first, then the pool; each removal audited
     * by its service) and forgets it, so a skipped setup leaves nothing half-made. All or nothing.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public List<String> removeUnfinished() {
        List<String> removed = unfinishedObjects();
        if (removed.isEmpty()) {
            return removed;
        }
        OnboardingProgress now = progress();
        createdVolumes(now).forEach(volume -> volumes.delete(volume.id()));
        createdPool(now).ifPresent(pool -> pools.delete(pool.id()));
        fields.deleteAll(fields.findAll().stream().filter(f -> f.field().equals(CREATED_POOL)
                || f.field().equals(CREATED_VOLUMES)).toList());
        return removed;
    }

    private Optional<PoolInfo> createdPool(OnboardingProgress now) {
        return now.field(WizardStep.POOL, CREATED_POOL).map(Long::parseLong).flatMap(id -> {
            try {
                return Optional.of(pools.get(new dev.windrose.storage.PoolId(id)));
            } catch (dev.windrose.common.NotFoundException gone) {
                return Optional.empty();
            }
        });
    }

    private List<VolumeInfo> createdVolumes(OnboardingProgress now) {
        List<VolumeInfo> found = new ArrayList<>();
        for (String id : now.field(WizardStep.VOLUMES, CREATED_VOLUMES).map(ids -> List.of(ids.split(","))).orElse(List.of())) {
            if (id.isBlank()) {
                continue;
            }
            try {
                found.add(volumes.get(new VolumeId(Long.parseLong(id.strip()))));
            } catch (dev.windrose.common.NotFoundException gone) {
                // deleted on its page since
            }
        }
        return found;
    }

    /** The subsystem the wizard created, if it still exists (it may have been deleted on its page since). */
    @PreAuthorize(Role.Expressions.ADMIN)
    public Optional<SubsystemInfo> createdSubsystem() {
        Optional<Long> id = progress().field(WizardStep.SUBSYSTEM, CREATED_SUBSYSTEM).map(Long::parseLong);
        return id.flatMap(wanted -> fabric.list().stream().filter(s -> s.id().value() == wanted).findFirst());
    }

    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public OnboardingProgress finish() {
        return close(OnboardingStatus.FINISHED, AuditAction.ONBOARDING_FINISHED);
    }

    /** The administrator sets up without the wizard; it stays reachable from the navigation. */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public OnboardingProgress skip() {
        return close(OnboardingStatus.SKIPPED, AuditAction.ONBOARDING_SKIPPED);
    }

    /**
     * Runs the wizard again from step 1. What the last run created stays (it is ordinary state); only
     * the wizard's memory of it is cleared, so the new run creates new objects. The cluster name stays.
     */
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public OnboardingProgress restart() {
        ProgressEntity entity = entity();
        fields.deleteAll(fields.findAll().stream().filter(f -> f.step() != WizardStep.CLUSTER).toList());
        entity.moveTo(OnboardingStatus.IN_PROGRESS, WizardStep.CLUSTER, clock.instant(), actor());
        auditLog.record(AuditAction.ONBOARDING_RESTARTED, entity.clusterName(), null);
        return toProgress(entity);
    }

    private OnboardingProgress close(OnboardingStatus status, AuditAction action) {
        ProgressEntity entity = entity();
        if (entity.status() != status) {
            entity.moveTo(status, entity.currentStep(), clock.instant(), actor());
            auditLog.record(action, entity.clusterName(), "at step " + entity.currentStep().number() + " ("
                    + entity.currentStep().title() + ")");
        }
        return toProgress(entity);
    }

    private void createSuggestedDirectory() {
        try {
            PrivateFiles.createDirectories(suggestedPoolDirectory);
        } catch (IOException e) {
            throw new InvalidInputException("directory", "Cannot create " + suggestedPoolDirectory + ": " + e.getMessage()
                    + ". Give an existing, writable directory.");
        }
    }

    public static String validClusterName(@Nullable String name) {
        Names.requireSafe("clusterName", name == null ? "" : name);
        String stripped = name == null ? "" : name.strip();
        if (!CLUSTER_NAME.matcher(stripped).matches()) {
            throw new InvalidInputException("clusterName", "A cluster name has 1 to 64 characters: letters, digits, "
                    + "spaces, '.', '_' or '-', starting with a letter or digit (e.g. \"Branch office\").");
        }
        return stripped;
    }

    private ProgressEntity entity() {
        return progress.findById(ProgressEntity.ID)
                .orElseGet(() -> progress.saveAndFlush(new ProgressEntity(clock.instant(), actor())));
    }

    /** Replaces the typed fields of a step (what it created stays noted). */
    private void storeTyped(WizardStep step, Map<String, String> typed) {
        Map<String, FieldEntity> stored = new HashMap<>();
        for (FieldEntity field : fields.findByStep(step)) {
            stored.put(field.field(), field);
        }
        for (FieldEntity field : stored.values()) {
            if (!field.field().startsWith(CREATED) && !typed.containsKey(field.field())) {
                fields.delete(field);
            }
        }
        typed.forEach((name, value) -> {
            if (name.startsWith(CREATED)) {
                throw new IllegalArgumentException("typed field " + name + " uses the reserved prefix " + CREATED);
            }
            put(stored, step, name, value);
        });
    }

    private void storeCreated(WizardStep step, String name, String value) {
        Map<String, FieldEntity> stored = new HashMap<>();
        fields.findByStep(step).forEach(field -> stored.put(field.field(), field));
        put(stored, step, name, value);
    }

    private void put(Map<String, FieldEntity> stored, WizardStep step, String name, String value) {
        if (name.length() > FieldEntity.MAX_NAME) {
            throw new IllegalArgumentException("field name too long: " + name);
        }
        if (value.length() > FieldEntity.MAX_VALUE) {
            throw new InvalidInputException(name, "At most " + FieldEntity.MAX_VALUE + " characters, please.");
        }
        FieldEntity existing = stored.get(name);
        if (existing == null) {
            fields.save(new FieldEntity(step, name, value));
        } else if (!Objects.equals(existing.value(), value)) {
            existing.setValue(value);
        }
    }

    private OnboardingProgress toProgress(ProgressEntity entity) {
        Map<WizardStep, Map<String, String>> byStep = new EnumMap<>(WizardStep.class);
        for (FieldEntity field : fields.findAll()) {
            byStep.computeIfAbsent(field.step(), step -> new HashMap<>()).put(field.field(), field.value());
        }
        return new OnboardingProgress(entity.status(), entity.currentStep(), entity.clusterName(), byStep,
                entity.updatedAt(), entity.updatedBy());
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
            return AuditLog.SYSTEM_ACTOR;
        }
        return authentication.getName();
    }
}
