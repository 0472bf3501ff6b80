package dev.windrose.support;

import com.vaadin.flow.server.VaadinSession;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.InitiatorInfo;
import dev.windrose.fabric.InitiatorService;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskKind;
import dev.windrose.inventory.DiskService;
import dev.windrose.security.Role;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.context.ApplicationContext;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * What a test made in a shared (cached) Spring context, so that it can delete it again: {@link #now}
 * notes the subsystems, volumes, pools, lab disks and initiators that exist before the test, and
 * {@link #remove()} deletes, through the services, every one that appeared since, in the order the
 * services allow (subsystems free volumes, volumes empty pools, pools give back lab disks). Their files
 * go with them, so a test's {@code @TempDir} holds nothing of a live pool when JUnit removes it.
 *
 * <p>The deletions run as an administrator (with the roles it includes, as a real sign-in grants them),
 * whoever the test signed in; the test's own sign-in, Vaadin session and security strategy are put back
 * afterwards. Tests run one at a time (no parallel JUnit), so "appeared since" is "made by this test".
 */
public final class Leftovers {

    private static final PageRequest ALL = PageRequest.of(0, 10_000);

    private final ApplicationContext context;
    private final Set<Object> subsystems;
    private final Set<Object> volumes;
    private final Set<Object> pools;
    private final Set<Object> labDisks;
    private final Set<Long> initiators;

    private Leftovers(ApplicationContext context) {
        this.context = context;
        this.subsystems = asAdmin(() -> new HashSet<>(subsystems().stream().map(SubsystemInfo::id).toList()));
        this.volumes = asAdmin(() -> new HashSet<>(volumes().stream().map(VolumeInfo::id).toList()));
        this.pools = asAdmin(() -> new HashSet<>(pools().stream().map(PoolInfo::id).toList()));
        this.labDisks = asAdmin(() -> new HashSet<>(labDisks().stream().map(DiskInfo::id).toList()));
        this.initiators = asAdmin(() -> new HashSet<>(initiators().stream().map(InitiatorInfo::id).toList()));
    }

    /** Notes what exists now in the context. */
    public static Leftovers now(ApplicationContext context) {
        return new Leftovers(context);
    }

    /** Deletes everything made since {@link #now}; a refusal fails the test, as something was left. */
    public void remove() {
        asAdmin(() -> {
            FabricService fabric = context.getBean(FabricService.class);
            subsystems().stream().filter(s -> !subsystems.contains(s.id())).forEach(s -> fabric.delete(s.id()));
            VolumeService volumeService = context.getBean(VolumeService.class);
            volumes().stream().filter(v -> !volumes.contains(v.id())).forEach(v -> volumeService.delete(v.id()));
            PoolService poolService = context.getBean(PoolService.class);
            pools().stream().filter(p -> !pools.contains(p.id())).forEach(p -> poolService.delete(p.id()));
            DiskService disks = context.getBean(DiskService.class);
            labDisks().stream().filter(d -> !labDisks.contains(d.id())).forEach(d -> disks.deleteLabDisk(d.id()));
            InitiatorService initiatorService = context.getBean(InitiatorService.class);
            initiators().stream().filter(i -> !initiators.contains(i.id())).forEach(i -> initiatorService.remove(i.id()));
            return null;
        });
    }

    private List<SubsystemInfo> subsystems() {
        return context.getBean(FabricService.class).list();
    }

    private List<VolumeInfo> volumes() {
        return context.getBean(VolumeService.class).list(null, null, null, ALL).getContent();
    }

    private List<PoolInfo> pools() {
        return context.getBean(PoolService.class).list(null, null, ALL).getContent();
    }

    private List<DiskInfo> labDisks() {
        return context.getBean(DiskService.class).list(DiskFilter.all(), ALL).getContent().stream()
                .filter(d -> d.kind() == DiskKind.LAB).toList();
    }

    private List<InitiatorInfo> initiators() {
        return context.getBean(InitiatorService.class).list();
    }

    /**
     * Runs as an administrator of this context. Every context in the JVM installs its own Vaadin strategy
     * as the global one, and that strategy prefers a context kept in the current Vaadin session; so this
     * context's strategy is made current and the session is set aside while the work runs.
     */
    private <T> T asAdmin(Supplier<T> work) {
        SecurityContextHolderStrategy global = SecurityContextHolder.getContextHolderStrategy();
        SecurityContextHolderStrategy strategy = context.getBeanProvider(SecurityContextHolderStrategy.class)
                .getIfAvailable(() -> global);
        VaadinSession session = VaadinSession.getCurrent();
        VaadinSession.setCurrent(null);
        SecurityContextHolder.setContextHolderStrategy(strategy);
        SecurityContext before = strategy.getContext();
        SecurityContext admin = strategy.createEmptyContext();
        String[] authorities = Role.ADMIN.withIncludedRoles().stream().map(Role::authority).toArray(String[]::new);
        admin.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("test-cleanup", null,
                AuthorityUtils.createAuthorityList(authorities)));
        strategy.setContext(admin);
        try {
            return work.get();
        } finally {
            strategy.setContext(before);
            SecurityContextHolder.setContextHolderStrategy(global);
            VaadinSession.setCurrent(session);
        }
    }
}
