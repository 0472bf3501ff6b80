package dev.windrose.security.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.security.PasswordPolicy;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Creates a user. Whatever the {@link UserService} refuses is shown under the field it concerns,
 * in its own words, and the dialog stays open with everything typed so far.
 */
class NewUserDialog extends Dialog {

    private final UserService users;
    private final Consumer<UserSummary> onCreated;
    private final TextField username = new TextField("Username");
    private final PasswordField password = new PasswordField("Password");
    private final CheckboxGroup<Role> roles = RoleChoice.create(EnumSet.of(Role.VIEWER));

    NewUserDialog(UserService users, Consumer<UserSummary> onCreated) {
        this.users = users;
        this.onCreated = onCreated;
        setHeaderTitle("New user");
        setWidth("32rem");
        configureFields();
        add(new FormLayout(username, password, roles));
        Button cancel = new Button("Cancel", click -> close());
        Button create = new Button("Create user", click -> create());
        create.addThemeVariants(ButtonVariant.PRIMARY);
        getFooter().add(cancel, create);
    }

    private void configureFields() {
        username.setRequired(true);
        username.setHelperText("2 to 64 characters: letters, digits, '.', '_' or '-'. Stored in lower case.");
        username.setAutocomplete(com.vaadin.flow.component.textfield.Autocomplete.OFF);
        password.setRequired(true);
        password.setHelperText("At least " + PasswordPolicy.MIN_LENGTH
                + " characters, not the username, not a common password.");
        password.setAutocomplete(com.vaadin.flow.component.textfield.Autocomplete.NEW_PASSWORD);
        username.focus();
    }

    private void create() {
        clearErrors();
        try {
            UserSummary created = users.createUser(username.getValue(), password.getValue(), roles.getValue());
            close();
            onCreated.accept(created);
        } catch (InvalidInputException invalid) {
            showError(fieldFor(invalid.field()), invalid.getMessage());
        } catch (ConflictException taken) {
            showError(username, taken.getMessage());
        }
    }

    private HasValidation fieldFor(String field) {
        return switch (field) {
            case "password" -> password;
            case "roles" -> roles;
            default -> username;
        };
    }

    private void clearErrors() {
        for (HasValidation field : List.<HasValidation>of(username, password, roles)) {
            field.setInvalid(false);
            field.setErrorMessage(null);
        }
    }

    private static void showError(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }
}
