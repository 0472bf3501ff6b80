package dev.windrose.fabric.ui;

import com.vaadin.flow.server.VaadinSession;
import dev.windrose.security.Role;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/** Small helpers for the browserless fabric view tests. */
final class FabricViewTests {

    /** One Spring context (and database) for the fabric view tests. */
    static final String CONTEXT = "windrose.test-context=fabric-views";

    private FabricViewTests() {
    }

    /**
     * Signs a user in for the view under test with a role and the roles it includes, as a real sign-in
     * grants them. Every Spring context in
     * the test JVM installs its own Vaadin security-context strategy as the global one, so this one is
     * made current again first, and a context kept in the session (which that strategy prefers) is
     * replaced too. The same reasoning as the security views' ViewTests, whose helper is package-private.
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
