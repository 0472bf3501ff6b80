package dev.windrose.security;

import java.util.List;
import java.util.function.Supplier;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Background work (alert evaluation, the metrics export, the dashboards' shared health reading) reads
 * pools, hosts, disks and subsystems through their services, which let only signed-in viewers read:
 * it does so as the read-only "system" actor, on the current thread only, and puts back what was there.
 */
public final class SystemViewer {

    private SystemViewer() {
    }

    public static <T> T read(Supplier<T> reading) {
        SecurityContext before = SecurityContextHolder.getContext();
        SecurityContext system = SecurityContextHolder.createEmptyContext();
        system.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(AuditLog.SYSTEM_ACTOR, null,
                List.of(new SimpleGrantedAuthority(Role.VIEWER.authority()))));
        SecurityContextHolder.setContext(system);
        try {
            return reading.get();
        } finally {
            SecurityContextHolder.setContext(before);
        }
    }
}
