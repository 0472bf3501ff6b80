package dev.windrose.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Background work (alert evaluation, the metrics export, the dashboards' shared health reading) reads
 * pools, hosts, disks and subsystems through their services, which let only signed-in viewers read:
 * it does so as the read-only "system" actor, on the current thread only, and puts back what was there.
 *
 * <p>Method security reads the application's own security-context strategy (a bean: Vaadin's), while the
 * JVM-wide {@link SecurityContextHolder} holds the strategy of whichever application started last. In
 * production they are the same; where several applications share a JVM (the test suite's cached
 * contexts) they are not, so the system actor is set in every application's strategy as well
 * ({@code SystemViewerStrategies} registers them), each only for this thread and this call.
 */
public final class SystemViewer {

    private static final Set<SecurityContextHolderStrategy> APPLICATION_STRATEGIES =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private SystemViewer() {
    }

    public static <T> T read(Supplier<T> reading) {
        return actAs(AuditLog.SYSTEM_ACTOR, Role.VIEWER, reading);
    }

    /**
     * Runs the work as the named actor with the role's authorities (and the roles it includes), on this
     * thread only. For work a person asked for elsewhere: a change another node's console asked this node
     * to carry out runs, and is audited, as that person.
     */
    public static <T> T actAs(String actor, Role role, Supplier<T> work) {
        List<SecurityContextHolderStrategy> strategies = strategies();
        List<SecurityContext> before = new ArrayList<>(strategies.size());
        List<SimpleGrantedAuthority> authorities = role.withIncludedRoles().stream()
                .map(included -> new SimpleGrantedAuthority(included.authority())).toList();
        for (SecurityContextHolderStrategy strategy : strategies) {
            before.add(strategy.getContext());
            SecurityContext context = strategy.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(actor, null, authorities));
            strategy.setContext(context);
        }
        try {
            return work.get();
        } finally {
            for (int i = 0; i < strategies.size(); i++) {
                strategies.get(i).setContext(before.get(i));
            }
        }
    }

    static void register(SecurityContextHolderStrategy strategy) {
        APPLICATION_STRATEGIES.add(strategy);
    }

    static void unregister(SecurityContextHolderStrategy strategy) {
        APPLICATION_STRATEGIES.remove(strategy);
    }

    private static List<SecurityContextHolderStrategy> strategies() {
        Set<SecurityContextHolderStrategy> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.add(SecurityContextHolder.getContextHolderStrategy());
        synchronized (APPLICATION_STRATEGIES) {
            all.addAll(APPLICATION_STRATEGIES);
        }
        return List.copyOf(all);
    }
}
