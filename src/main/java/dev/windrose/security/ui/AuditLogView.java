package dev.windrose.security.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditEntry;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import jakarta.annotation.security.RolesAllowed;
import java.util.Locale;
import java.util.Objects;
import org.springframework.data.domain.PageRequest;

/**
 * The security audit log for administrators, newest first. The grid asks the database for one
 * page at a time as the administrator scrolls, so a long log costs nothing until it is read.
 */
@Route(value = "audit", layout = MainLayout.class)
@PageTitle("Audit log")
@Menu(order = 30, icon = "vaadin:clipboard-text", title = "Audit log")
@RolesAllowed(Role.Names.ADMIN)
class AuditLogView extends VerticalLayout {

    private final AuditLog auditLog;
    private final Grid<AuditEntry> grid = new Grid<>();

    AuditLogView(AuditLog auditLog) {
        this.auditLog = auditLog;
        setSizeFull();
        setPadding(true);
        add(toolbar(), configureGrid());
        setFlexGrow(1, grid);
    }

    private Component toolbar() {
        Paragraph intro = new Paragraph("Sign-ins, failed sign-ins, and every change to users and API tokens, "
                + "newest first.");
        intro.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), click -> grid.getDataProvider().refreshAll());
        refresh.addThemeVariants(ButtonVariant.TERTIARY);
        HorizontalLayout toolbar = new HorizontalLayout(intro, refresh);
        toolbar.setWidthFull();
        toolbar.setAlignItems(FlexComponent.Alignment.CENTER);
        toolbar.setFlexGrow(1, intro);
        return toolbar;
    }

    private Grid<AuditEntry> configureGrid() {
        grid.addThemeVariants(GridVariant.ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(entry -> Formats.dateTime(entry.occurredAt(), "")).setHeader("Time").setAutoWidth(true)
                .setFlexGrow(0);
        // A fixed width: auto-width is measured before the badges render and cuts them off.
        grid.addComponentColumn(entry -> action(entry.action())).setHeader("Action").setWidth("11rem")
                .setFlexGrow(0);
        grid.addColumn(AuditEntry::actor).setHeader("By").setAutoWidth(true).setFlexGrow(0);
        // "On" and "Details" wrap instead of being cut ("BadCred…" at 1024 px): long NQNs and sentences
        // take more lines, every column stays in view. Details read in words; the tooltip has them as stored.
        grid.addComponentColumn(entry -> wrapping(Objects.requireNonNullElse(entry.target(), ""))).setHeader("On")
                .setWidth("12rem").setFlexGrow(1);
        grid.addComponentColumn(entry -> wrapping(AuditDetails.readable(entry.detail()))).setHeader("Details")
                .setWidth("14rem").setFlexGrow(3)
                .setTooltipGenerator(entry -> Objects.requireNonNullElse(entry.detail(), ""));
        grid.addColumn(entry -> Objects.requireNonNullElse(entry.remoteAddress(), "")).setHeader("From")
                .setAutoWidth(true).setFlexGrow(0);
        grid.setEmptyStateText("Nothing recorded yet: sign-ins and changes to users and tokens appear here.");
        grid.setItemsPageable(
                pageable -> auditLog.page(pageable).getContent(),
                pageable -> Math.toIntExact(auditLog.page(PageRequest.of(0, 1)).getTotalElements()));
        return grid;
    }

    private static Span wrapping(String text) {
        Span span = new Span(text);
        span.getStyle().set("white-space", "normal").set("overflow-wrap", "anywhere");
        return span;
    }

    private static Component action(AuditAction action) {
        Badge badge = new Badge(label(action));
        switch (action) {
            case LOGIN_FAILED, LOGIN_THROTTLED, USER_DELETED, TOKEN_REVOKED, USER_DISABLED ->
                    badge.addThemeVariants(BadgeVariant.ERROR);
            case LOGIN, LOGOUT -> badge.addThemeVariants(BadgeVariant.CONTRAST);
            default -> badge.addThemeVariants(BadgeVariant.SUCCESS);
        }
        return badge;
    }

    /** "LOGIN_FAILED" reads "Login failed". */
    static String label(AuditAction action) {
        String words = action.name().replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
