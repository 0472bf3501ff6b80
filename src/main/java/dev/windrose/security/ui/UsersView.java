package dev.windrose.security.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import dev.windrose.common.ConflictException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.security.Role;
import dev.windrose.security.UserId;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import jakarta.annotation.security.RolesAllowed;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Administrators manage who may sign in: create users with roles, change roles, disable or enable
 * them, delete them. The rules (password strength, taken names, the last administrator) are the
 * {@link UserService}'s; this view shows its answers next to the field they concern.
 */
@Route(value = "users", layout = MainLayout.class)
@PageTitle("Users")
@Menu(order = 10, icon = "vaadin:users", title = "Users")
@RolesAllowed(Role.Names.ADMIN)
class UsersView extends VerticalLayout {

    private final UserService users;
    private final Grid<UserSummary> grid = new Grid<>();
    /** The only enabled administrator, whom the service would refuse to disable or delete; null if several. */
    private @Nullable UserId soleAdministrator;

    UsersView(UserService users) {
        this.users = users;
        setSizeFull();
        setPadding(true);
        add(toolbar(), configureGrid());
        setFlexGrow(1, grid);
        refresh();
    }

    private Component toolbar() {
        Paragraph intro = new Paragraph("People who may sign in to this console, and what each may do. "
                + "A disabled user cannot sign in and their API tokens stop working.");
        intro.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);
        Button newUser = new Button("New user", VaadinIcon.PLUS.create(), click -> openNewUserDialog());
        newUser.addThemeVariants(ButtonVariant.PRIMARY);
        HorizontalLayout toolbar = new HorizontalLayout(intro, newUser);
        toolbar.setWidthFull();
        toolbar.setAlignItems(FlexComponent.Alignment.CENTER);
        toolbar.setFlexGrow(1, intro);
        return toolbar;
    }

    private Grid<UserSummary> configureGrid() {
        grid.addThemeVariants(GridVariant.ROW_STRIPES);
        grid.addColumn(UserSummary::username).setHeader("Username").setSortable(true)
                .setComparator(Comparator.comparing(UserSummary::username)).setWidth("10rem").setFlexGrow(0)
                .setTooltipGenerator(UserSummary::username);
        grid.addComponentColumn(UsersView::roles).setHeader("Roles").setWidth("10rem").setFlexGrow(1);
        grid.addComponentColumn(UsersView::status).setHeader("Status").setWidth("7rem").setFlexGrow(0);
        grid.addColumn(user -> Formats.dateTimeToMinute(user.createdAt(), ""))
                .setHeader(Formats.headerWithZone("Created")).setAutoWidth(true).setFlexGrow(0);
        // A fixed width: auto-width is measured before the buttons render and cuts them off.
        grid.addComponentColumn(this::actions).setHeader("Actions").setTextAlign(ColumnTextAlign.END)
                .setWidth("24rem").setFlexGrow(0);
        grid.setEmptyStateText("No users yet: create one with “New user”.");
        return grid;
    }

    /** A named list of role badges, so "Roles of alice" is one thing to a screen reader (and a test). */
    private static Component roles(UserSummary user) {
        UnorderedList roles = new UnorderedList();
        roles.getElement().setAttribute("aria-label", "Roles of " + user.username());
        roles.addClassNames(LumoUtility.ListStyleType.NONE, LumoUtility.Display.FLEX, LumoUtility.Gap.XSMALL,
                LumoUtility.Padding.NONE, LumoUtility.Margin.NONE);
        user.roles().stream().sorted().forEach(role -> {
            Badge badge = new Badge(RoleLabels.label(role));
            if (role == Role.ADMIN) {
                badge.addThemeVariants(BadgeVariant.WARNING);
            }
            roles.add(new ListItem(badge));
        });
        return roles;
    }

    private static Component status(UserSummary user) {
        Badge badge = new Badge(user.enabled() ? "Enabled" : "Disabled");
        badge.addThemeVariants(user.enabled() ? BadgeVariant.SUCCESS : BadgeVariant.CONTRAST);
        return badge;
    }

    private Component actions(UserSummary user) {
        Button roles = action("Roles", VaadinIcon.KEY, "Change the roles of " + user.username(),
                () -> openRolesDialog(user));
        Button password = action("Password", VaadinIcon.PASSWORD, "Set a new password for " + user.username(),
                () -> new SetPasswordDialog(users, user).open());
        Button toggle = user.enabled()
                ? action("Disable", VaadinIcon.BAN, "Disable " + user.username(), () -> setEnabled(user, false))
                : action("Enable", VaadinIcon.CHECK, "Enable " + user.username(), () -> setEnabled(user, true));
        Button delete = action("Delete", VaadinIcon.TRASH, "Delete " + user.username(), () -> confirmDelete(user));
        delete.addThemeVariants(ButtonVariant.ERROR);
        // Offered, confirmed, then refused is worse than not offered: say why on the disabled buttons.
        if (user.id().equals(soleAdministrator)) {
            String why = user.username() + " is the only enabled administrator: make another user an administrator first.";
            for (Button refused : List.of(toggle, delete)) {
                refused.setEnabled(false);
                refused.setTooltipText(why);
            }
        }
        HorizontalLayout actions = new HorizontalLayout(roles, password, toggle, delete);
        actions.setSpacing(false);
        actions.addClassNames(LumoUtility.Gap.XSMALL);
        actions.setJustifyContentMode(FlexComponent.JustifyContentMode.END);
        return actions;
    }

    private static Button action(String text, VaadinIcon icon, String accessibleName, Runnable onClick) {
        Button button = new Button(text, icon.create(), click -> onClick.run());
        button.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.SMALL);
        button.setAriaLabel(accessibleName);
        button.setTooltipText(accessibleName);
        return button;
    }

    private void openNewUserDialog() {
        new NewUserDialog(users, created -> {
            refresh();
            Notices.success("User " + created.username() + " created with the roles "
                    + RoleLabels.labels(created.roles()) + ".");
        }).open();
    }

    private void openRolesDialog(UserSummary user) {
        new EditRolesDialog(users, user, changed -> {
            refresh();
            Notices.success("Roles of " + changed.username() + ": " + RoleLabels.labels(changed.roles()) + ".");
        }).open();
    }

    private void setEnabled(UserSummary user, boolean enabled) {
        try {
            users.setEnabled(user.id(), enabled);
            Notices.success(user.username() + (enabled ? " may sign in again." : " can no longer sign in."));
        } catch (ConflictException | NotFoundException refused) {
            Notices.error(refused.getMessage());
        }
        refresh();
    }

    private void confirmDelete(UserSummary user) {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Delete " + user.username() + "?");
        confirm.setText(user.username() + " will no longer be able to sign in and their API tokens stop working. "
                + "The audit log keeps what they did. This cannot be undone.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Delete");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> delete(user));
        confirm.open();
    }

    private void delete(UserSummary user) {
        try {
            users.delete(user.id());
            Notices.success("User " + user.username() + " deleted.");
        } catch (ConflictException | NotFoundException refused) {
            Notices.error(refused.getMessage());
        }
        refresh();
    }

    private void refresh() {
        List<UserSummary> all = users.listUsers();
        List<UserSummary> admins = all.stream().filter(user -> user.enabled() && user.hasRole(Role.ADMIN)).toList();
        soleAdministrator = admins.size() == 1 ? admins.getFirst().id() : null;
        grid.setItems(all);
    }
}
