package dev.windrose.telemetry.ui;

import com.vaadin.flow.server.VaadinSession;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/** Small helpers for the browserless telemetry view tests. */
final class TelemetryViewTests {

    /** The Spring context (and database) the security views and the dashboard test share: no new one. */
    static final String CONTEXT = "windrose.view-test=security-views";
    /** The first administrator of that context (the security view tests create the same one). */
    static final String ADMIN = "view-admin";
    static final String PASSWORD = "Granite-Lighthouse-Wren-11";

    private TelemetryViewTests() {
    }

    static void ensureAdmin(UserService users) {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ADMIN, PASSWORD);
        }
    }

    /**
     * Signs a user in with a role and the roles it includes, as a real sign-in grants them. Every Spring
     * context in the test JVM installs its own Vaadin security-context strategy as the global one, so
     * this one is made current again first, and a context kept in the session (which that strategy
     * prefers) is replaced too; the same reasoning as the fabric and security view tests.
     */
    static void signInAs(SecurityContextHolderStrategy contextStrategy, String username, Role role) {
        SecurityContextHolder.setContextHolderStrategy(contextStrategy);
        SecurityContext context = contextStrategy.createEmptyContext();
        String[] authorities = role.withIncludedRoles().stream().map(Role::authority).toArray(String[]::new);
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(username, null,
                AuthorityUtils.createAuthorityList(authorities)));
        contextStrategy.setContext(context);
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null) {
            session.getSession().setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
        }
    }
}
