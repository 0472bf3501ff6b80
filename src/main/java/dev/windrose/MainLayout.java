package dev.windrose;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.avatar.AvatarVariant;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.theme.lumo.Lumo;
import com.vaadin.flow.theme.lumo.LumoUtility;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The frame around every signed-in view: the app's name, the side navigation, the features' header
 * items (the open-events badge) and the user menu.
 *
 * <p>The navigation is built from the views' {@code @Menu} annotations through
 * {@link MenuConfiguration}, which lists only the views the signed-in user may open; so a viewer
 * never sees a link to an administrators' page, and this class needs to know no view.
 */
@PermitAll
@StyleSheet(Lumo.UTILITY_STYLESHEET)
@StyleSheet("context://styles/layout.css")
public class MainLayout extends AppLayout implements AfterNavigationObserver {

    static final String APP_NAME = "Windrose";
    /** The signed-in user's own page (security feature), opened from the user menu. */
    private static final String ACCOUNT_PATH = "account";

    private final AuthenticationContext authentication;
    private final H1 viewTitle = new H1();

    /**
     * Something a feature shows in the header, left of the user menu (telemetry's open-events
     * badge): a Spring bean, asked for a new component for every layout. Through this interface the
     * layout shows features' items without depending on the features, which depend on the layout.
     */
    public interface HeaderItem {
        Component create();
    }

    private final List<HeaderItem> headerItems;

    /**
     * The cluster's name as the guided setup or an administrator gave it (onboarding provides it): shown
     * under the app's name and after every tab title, so tabs of two clusters' consoles can be told apart.
     */
    public interface ClusterName {
        Optional<String> current();
    }

    private final ObjectProvider<ClusterName> clusterName;
    private final Span clusterLabel = new Span();

    MainLayout(AuthenticationContext authentication, ObjectProvider<HeaderItem> headerItems,
            ObjectProvider<ClusterName> clusterName) {
        this.authentication = authentication;
        this.headerItems = headerItems.orderedStream().toList();
        this.clusterName = clusterName;
        setPrimarySection(Section.DRAWER);
        addToDrawer(appName(), new Scroller(navigation()));
        addToNavbar(navbar());
    }

    private Component appName() {
        Icon logo = VaadinIcon.STORAGE.create();
        logo.addClassNames(LumoUtility.TextColor.PRIMARY, LumoUtility.IconSize.MEDIUM);
        Span name = new Span(APP_NAME);
        name.addClassNames(LumoUtility.FontWeight.SEMIBOLD, LumoUtility.FontSize.LARGE);
        clusterLabel.setId("cluster-name");
        clusterLabel.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY,
                LumoUtility.Overflow.HIDDEN, LumoUtility.TextOverflow.ELLIPSIS, LumoUtility.Whitespace.NOWRAP);
        Div names = new Div(name, clusterLabel);
        names.addClassNames(LumoUtility.Display.FLEX, LumoUtility.FlexDirection.COLUMN, LumoUtility.Overflow.HIDDEN);
        HorizontalLayout header = new HorizontalLayout(logo, names);
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.addClassNames(LumoUtility.Padding.MEDIUM, LumoUtility.Gap.SMALL);
        return header;
    }

    private SideNav navigation() {
        SideNav nav = new SideNav();
        // The landmark's accessible name; SideNav's own label would add a visible heading.
        nav.getElement().setAttribute("aria-label", "Main navigation");
        nav.addClassNames(LumoUtility.Padding.Horizontal.SMALL);
        for (MenuEntry entry : MenuConfiguration.getMenuEntries()) {
            nav.addItem(navigationItem(entry));
        }
        return nav;
    }

    private static SideNavItem navigationItem(MenuEntry entry) {
        String icon = entry.icon();
        if (icon == null || icon.isBlank()) {
            return new SideNavItem(entry.title(), entry.path());
        }
        return new SideNavItem(entry.title(), entry.path(), new Icon(icon));
    }

    private Component navbar() {
        DrawerToggle toggle = new DrawerToggle();
        toggle.setAriaLabel("Show or hide the navigation");
        viewTitle.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.Margin.NONE);
        Div spacer = new Div();
        HorizontalLayout bar = new HorizontalLayout(toggle, viewTitle, spacer);
        headerItems.forEach(item -> bar.add(item.create()));
        bar.add(userMenu());
        bar.setFlexGrow(1, spacer);
        bar.setWidthFull();
        bar.setAlignItems(FlexComponent.Alignment.CENTER);
        bar.addClassNames(LumoUtility.Padding.End.MEDIUM);
        return bar;
    }

    /** The signed-in user's name with a menu: their account page, sign out. */
    private Component userMenu() {
        String username = authentication.getPrincipalName().orElse("");
        Avatar avatar = new Avatar(username);
        avatar.addThemeVariants(AvatarVariant.LUMO_XSMALL);
        avatar.getElement().setAttribute("aria-hidden", "true");
        HorizontalLayout who = new HorizontalLayout(avatar, new Span(username));
        who.setAlignItems(FlexComponent.Alignment.CENTER);
        who.setSpacing(false);
        who.addClassNames(LumoUtility.Gap.SMALL);

        MenuBar menu = new MenuBar();
        menu.addThemeVariants(MenuBarVariant.LUMO_TERTIARY_INLINE);
        MenuItem user = menu.addItem(who);
        user.setAriaLabel("User menu for " + username);
        // The account page is addressed by its path: the layout knows no feature's views.
        user.getSubMenu().addItem("Your account", click -> getUI().ifPresent(ui -> ui.navigate(ACCOUNT_PATH)));
        user.getSubMenu().addItem("Sign out", click -> authentication.logout());
        return menu;
    }

    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        viewTitle.setText(MenuConfiguration.getPageHeader(getContent()).orElse(""));
        Optional<String> cluster = Optional.ofNullable(clusterName.getIfAvailable()).flatMap(ClusterName::current);
        clusterLabel.setText(cluster.map(name -> "Cluster " + name).orElse(""));
        clusterLabel.setTitle(cluster.map(name -> "Cluster " + name).orElse(""));
        clusterLabel.setVisible(cluster.isPresent());
        cluster.ifPresent(name -> getUI().ifPresent(ui -> ui.beforeClientResponse(ui,
                response -> ui.getPage().setTitle(tabTitle(getContent(), name)))));
    }

    /**
     * The view's own tab title and the cluster's name. Set just before the answer leaves, after the router
     * has set the view's title, which it does once navigation has finished.
     */
    static String tabTitle(@Nullable Component view, String cluster) {
        String own = view instanceof HasDynamicTitle dynamic ? dynamic.getPageTitle()
                : view != null && view.getClass().isAnnotationPresent(PageTitle.class)
                        ? view.getClass().getAnnotation(PageTitle.class).value() : APP_NAME;
        return own + " · " + cluster;
    }
}
