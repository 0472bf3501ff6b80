package dev.windrose.security.ui;

import dev.windrose.security.Role;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.server.VaadinSession;
import java.util.stream.Stream;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/** Small helpers for the browserless view tests of this package. */
final class ViewTests {

    /** One Spring context (and database) for these view tests, apart from the other tests' contexts. */
    static final String CONTEXT = "windrose.view-test=security-views";
    /** The signed-in administrator of these tests; created if missing. */
    static final String ADMIN = "view-admin";
    static final String ADMIN_PASSWORD = "Granite-Lighthouse-Wren-11";

    private ViewTests() {
    }

    /** The buttons in a component and everything below it (e.g. a grid cell's action bar). */
    static Stream<Button> buttonsIn(Component component) {
        Stream<Button> self = component instanceof Button button ? Stream.of(button) : Stream.empty();
        return Stream.concat(self, component.getChildren().flatMap(ViewTests::buttonsIn));
    }

    /**
     * Signs a user in for the view under test. Every Spring context in the test JVM installs its
     * own Vaadin security-context strategy (each with its own thread-local) as the global one, so
     * a cached context reused after another context started must be made current again; that is
     * why {@code @WithMockUser} alone is not enough here.
     */
    static void signInAs(SecurityContextHolderStrategy contextStrategy, String username, String role) {
        SecurityContextHolder.setContextHolderStrategy(contextStrategy);
        SecurityContext context = contextStrategy.createEmptyContext();
        // A real sign-in grants the role and the roles it includes (the header's events badge, for
        // one, asks as a viewer): grant them here too.
        String[] authorities = Role.valueOf(role).withIncludedRoles().stream().map(Role::authority)
                .toArray(String[]::new);
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(username, null,
                AuthorityUtils.createAuthorityList(authorities)));
        contextStrategy.setContext(context);
        // The Vaadin strategy prefers a context kept in the session (e.g. an anonymous one from an
        // earlier redirect to the sign-in page) over its thread-local: replace that one too.
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null) {
            session.getSession().setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
                    context);
        }
    }
}
