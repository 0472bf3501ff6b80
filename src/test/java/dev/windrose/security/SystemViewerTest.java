package dev.windrose.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * The system actor reaches method security through the application's own strategy even when the JVM-wide
 * holder belongs to another application (several contexts in one JVM), and only for the call.
 */
class SystemViewerTest {

    private final SecurityContextHolderStrategy applications = new OwnStrategy();

    /** Another application's strategy: a thread-local of its own, as each Vaadin application has. */
    private static final class OwnStrategy implements SecurityContextHolderStrategy {
        private final ThreadLocal<SecurityContext> contexts = ThreadLocal.withInitial(SecurityContextImpl::new);

        @Override
        public void clearContext() {
            contexts.remove();
        }

        @Override
        public SecurityContext getContext() {
            return contexts.get();
        }

        @Override
        public void setContext(SecurityContext context) {
            contexts.set(context);
        }

        @Override
        public SecurityContext createEmptyContext() {
            return new SecurityContextImpl();
        }
    }

    @AfterEach
    void unregister() {
        SystemViewer.unregister(applications);
        applications.clearContext();
    }

    @Test
    void a_registered_application_strategy_sees_the_system_viewer_during_the_call_and_nothing_after() {
        SystemViewer.register(applications);
        assertThat(applications).isNotSameAs(SecurityContextHolder.getContextHolderStrategy());

        Authentication during = SystemViewer.read(() -> applications.getContext().getAuthentication());

        assertThat(during).isNotNull();
        assertThat(during.getName()).isEqualTo(AuditLog.SYSTEM_ACTOR);
        assertThat(during.getAuthorities()).extracting(Object::toString).containsExactly(Role.VIEWER.authority());
        assertThat(applications.getContext().getAuthentication()).isNull();
    }

    @Test
    void an_unregistered_strategy_is_left_alone() {
        Authentication during = SystemViewer.read(() -> applications.getContext().getAuthentication());
        assertThat(during).isNull();
        assertThat(SystemViewer.read(() -> SecurityContextHolder.getContext().getAuthentication().getName()))
                .isEqualTo(AuditLog.SYSTEM_ACTOR);
    }
}
