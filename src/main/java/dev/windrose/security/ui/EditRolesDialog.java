package dev.windrose.security.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import java.util.function.Consumer;

/** Changes a user's roles; refusals (no role, the last administrator) appear on the role list. */
class EditRolesDialog extends Dialog {

    private final UserService users;
    private final UserSummary user;
    private final Consumer<UserSummary> onChanged;
    private final CheckboxGroup<Role> roles;

    EditRolesDialog(UserService users, UserSummary user, Consumer<UserSummary> onChanged) {
        this.users = users;
        this.user = user;
        this.onChanged = onChanged;
        this.roles = RoleChoice.create(user.roles());
        setHeaderTitle("Roles of " + user.username());
        setWidth("30rem");
        add(roles);
        Button cancel = new Button("Cancel", click -> close());
        Button save = new Button("Save roles", click -> save());
        save.addThemeVariants(ButtonVariant.PRIMARY);
        getFooter().add(cancel, save);
    }

    private void save() {
        try {
            UserSummary changed = users.updateRoles(user.id(), roles.getValue());
            close();
            onChanged.accept(changed);
        } catch (InvalidInputException | ConflictException | NotFoundException refused) {
            roles.setErrorMessage(refused.getMessage());
            roles.setInvalid(true);
        }
    }
}
