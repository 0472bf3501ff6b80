package dev.windrose.onboarding.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.NavigationTrigger;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.windrose.onboarding.OnboardingService;
import dev.windrose.security.Role;
import org.springframework.stereotype.Component;

/**
 * Offers the guided setup: an administrator's first visit to the console's start page in a session
 * lands on the wizard while it is neither finished nor skipped. Only the start page and only once per
 * session, so a link to any other page still opens that page, and leaving the wizard is never undone.
 */
@Component
class OnboardingOffer implements VaadinServiceInitListener {

    /** Session attribute: the offer was made (or was not needed) in this session. */
    static final String OFFERED = OnboardingOffer.class.getName() + ".offered";

    private final OnboardingService onboarding;
    private final AuthenticationContext authentication;

    OnboardingOffer(OnboardingService onboarding, AuthenticationContext authentication) {
        this.onboarding = onboarding;
        this.authentication = authentication;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> init.getUI().addBeforeEnterListener(this::offer));
    }

    void offer(BeforeEnterEvent event) {
        // Only what the browser asked for: a page the console opens by itself (after the wizard's Skip,
        // or in a server-side test) is not a visit.
        if (openedByTheConsole(event.getTrigger()) || !event.getLocation().getPath().isEmpty()
                || !authentication.hasRole(Role.Names.ADMIN)) {
            return;
        }
        VaadinSession session = event.getUI().getSession();
        if (session.getAttribute(OFFERED) != null) {
            return;
        }
        session.setAttribute(OFFERED, Boolean.TRUE);
        if (onboarding.offered()) {
            event.forwardTo(OnboardingView.class);
        }
    }

    private static boolean openedByTheConsole(NavigationTrigger trigger) {
        // REFRESH_ROUTE: the console redrawing the page it shows (after the dashboard renamed the cluster).
        return trigger == NavigationTrigger.PROGRAMMATIC || trigger == NavigationTrigger.UI_NAVIGATE
                || trigger == NavigationTrigger.REFRESH_ROUTE;
    }
}
