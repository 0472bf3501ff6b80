package dev.windrose.security.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The users view as an administrator meets it, driven on the server (no browser). Its database is
 * shared only with the other view tests of this package, which create no administrator: the
 * signed-in one stays the only one.
 */
@SpringBootTest(properties = ViewTests.CONTEXT)
@ActiveProfiles("test")
class UsersViewTest extends SpringBrowserlessTest {

    private static final String ADMIN = ViewTests.ADMIN;
    private static final String GOOD_PASSWORD = ViewTests.ADMIN_PASSWORD;

    @Autowired
    UserService users;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;

    @BeforeEach
    void the_signed_in_administrator_exists() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ADMIN, GOOD_PASSWORD);
        }
        ViewTests.signInAs(securityContexts, ViewTests.ADMIN, "ADMIN");
        navigate(UsersView.class);
    }

    @Test
    void a_created_user_is_listed_with_exactly_the_chosen_roles() {
        String name = uniqueName("olivia");
        createUser(name, GOOD_PASSWORD, Set.of(Role.OPERATOR));

        assertThat(find(Dialog.class).all()).isEmpty();
        assertThat(listedUsernames()).contains(name);
        assertThat(users.listUsers()).filteredOn(user -> user.username().equals(name))
                .extracting(UserSummary::roles).containsExactly(Set.of(Role.OPERATOR));
    }

    @Test
    void a_weak_password_is_refused_under_the_password_and_the_dialog_keeps_what_was_typed() {
        String name = uniqueName("weak");
        createUser(name, "password1234", Set.of(Role.VIEWER));

        PasswordField password = find(PasswordField.class).withCaption("Password").single();
        assertThat(password.isInvalid()).isTrue();
        assertThat(password.getErrorMessage()).contains("commonly used password");
        assertThat(find(TextField.class).withCaption("Username").single().getValue()).isEqualTo(name);
        assertThat(listedUsernames()).doesNotContain(name);
    }

    @Test
    void a_taken_username_is_refused_under_the_username() {
        String name = uniqueName("taken");
        createUser(name, GOOD_PASSWORD, Set.of(Role.VIEWER));
        createUser(name, GOOD_PASSWORD, Set.of(Role.VIEWER));

        TextField username = find(TextField.class).withCaption("Username").single();
        assertThat(username.isInvalid()).isTrue();
        assertThat(username.getErrorMessage()).isEqualTo("The username '" + name + "' is already taken.");
    }

    @Test
    void a_user_without_any_role_is_refused_on_the_role_list() {
        createUser(uniqueName("roleless"), GOOD_PASSWORD, Set.of());

        CheckboxGroup<?> roles = find(CheckboxGroup.class).withCaption("Roles").single();
        assertThat(roles.isInvalid()).isTrue();
        assertThat(roles.getErrorMessage()).isEqualTo("A user needs at least one role.");
    }

    @Test
    void the_last_administrator_is_not_offered_disable_or_delete_and_the_disabled_buttons_say_why() {
        for (String action : List.of("Disable " + ADMIN, "Delete " + ADMIN)) {
            Button button = rowButton(action).orElseThrow();
            assertThat(button.isEnabled()).as(action).isFalse();
            assertThat(button.getTooltip().getText()).isEqualTo(ADMIN + " is the only enabled administrator: make "
                    + "another user an administrator first.");
        }
        assertThat(users.listUsers()).filteredOn(user -> user.username().equals(ADMIN))
                .extracting(UserSummary::enabled).containsExactly(true);
    }

    @Test
    void deleting_asks_first_and_removes_the_user_only_when_confirmed() {
        String name = uniqueName("leaving");
        createUser(name, GOOD_PASSWORD, Set.of(Role.VIEWER));

        test(rowButton("Delete " + name).orElseThrow()).click();
        test(find(ConfirmDialog.class).single()).cancel();
        assertThat(listedUsernames()).contains(name);

        test(rowButton("Delete " + name).orElseThrow()).click();
        test(find(ConfirmDialog.class).single()).confirm();
        assertThat(listedUsernames()).doesNotContain(name);
    }

    @SuppressWarnings("unchecked")
    private void createUser(String username, String password, Set<Role> roles) {
        if (find(Dialog.class).all().isEmpty()) {
            test(find(Button.class).withText("New user").single()).click();
        }
        test(find(TextField.class).withCaption("Username").single()).setValue(username);
        test(find(PasswordField.class).withCaption("Password").single()).setValue(password);
        CheckboxGroup<Role> roleChoice = find(CheckboxGroup.class).withCaption("Roles").single();
        roleChoice.setValue(roles);
        test(find(Button.class).withText("Create user").single()).click();
    }

    @SuppressWarnings("unchecked")
    private java.util.List<String> listedUsernames() {
        Grid<UserSummary> grid = find(Grid.class).single();
        var tester = test(grid);
        return java.util.stream.IntStream.range(0, tester.size()).mapToObj(row -> tester.getRow(row).username())
                .toList();
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Column of the per-row action buttons in the view's grid. */
    private static final int ACTIONS_COLUMN = 4;

    /** A per-row action button by its accessible name (rows are rendered, so the grid is asked). */
    private Optional<Button> rowButton(String accessibleName) {
        @SuppressWarnings("unchecked")
        var grid = test((Grid<Object>) find(Grid.class).single());
        return IntStream.range(0, grid.size())
                .mapToObj(row -> grid.getCellComponent(row, ACTIONS_COLUMN))
                .flatMap(ViewTests::buttonsIn)
                .filter(button -> button.getAriaLabel().filter(accessibleName::equals).isPresent())
                .findFirst();
    }
}
